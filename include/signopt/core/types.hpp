#pragma once
// Vector and matrix types shared by every layer. Optimisation runs in double precision.
#include <Eigen/Core>
#include <Eigen/SparseCore>
#include <cstdint>

namespace signopt {

using Index = Eigen::Index;
using Vector = Eigen::VectorXd;
using Matrix = Eigen::MatrixXd;  // column-major; a d×m matrix holds m points as columns
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using SparseMatrix = Eigen::SparseMatrix<double, Eigen::RowMajor, std::int64_t>;  // CSR

}  // namespace signopt
