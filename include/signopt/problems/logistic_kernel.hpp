#pragma once
// The logistic-loss kernel behind LogisticRegression: for m points w_1..w_m at once,
//   loss_k = Σ_i log(1 + exp(−y_i a_iᵀw_k)),   correct_k = #{i : sign(a_iᵀw_k) = y_i},
//   grad_k = Σ_i −y_i σ(−y_i a_iᵀw_k) a_i,
// over all rows of a data set or over a list of rows (a minibatch).
//
// Determinism: every point goes through exactly the same floating-point operations, in the
// same order, whatever the number of points evaluated together, whichever lane of a vector
// register it lands in, and whatever the number of threads. Over all rows, the rows are cut
// into stripes() stripes of whole blocks (a number fixed by the data alone); within a stripe,
// margins sum a row's nonzeros in storage order, each gradient entry adds its rows' terms in
// increasing row order starting from 0, the loss adds per-row terms in row order and takes one
// logarithm per block (of the product of its kRowBlock factors); the stripes' sums are added in
// stripe order. A row list (minibatch) is one stripe.
//
// Speed: the rows are processed in blocks of kRowBlock, so a block's margins, exponentials and
// gradient coefficients stay in the L1 cache. With all rows, each block's nonzeros are also
// stored by column, and the gradient gathers along columns into register accumulators (one
// load per nonzero, one store per column and block) instead of scattering along rows (a load
// and a store per nonzero). Sums of several rows (or columns) and of all points advance in one
// loop, so their additions overlap instead of waiting on each other. Data that repeats its row
// patterns (categorical features) is factored as A = P·E (row_patterns.hpp): passes over all
// rows, or over long row lists, read P (a few entries per row) with the patterns' values E·w
// and map the gradient back with Eᵀ; P's rows are sorted by pattern. (The determinism above
// holds for either form; which one a pass reads depends only on the data and the row count.)
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "signopt/core/thread_team.hpp"
#include "signopt/core/types.hpp"

namespace signopt {

class LogisticKernelData {
 public:
  static constexpr Index kRowBlock = 64;

  // `rows`: the features, one sample per row; `labels` in {−1, +1}. With `find_patterns`, the
  // rows are factored through their repeated patterns when that makes passes cheaper
  // (row_patterns.hpp); without, passes always read the rows themselves.
  LogisticKernelData(SparseMatrix rows, Eigen::VectorXi labels, bool find_patterns = true);

  Index rows() const { return direct_.rows.rows(); }
  Index cols() const { return direct_.rows.cols(); }
  const SparseMatrix& matrix() const { return direct_.rows; }
  const Eigen::VectorXi& labels() const { return direct_.labels; }
  bool unit_values() const { return direct_.unit; }
  // Stripes of a pass over all rows: up to kMaxStripes (each holds a gradient while the pass
  // runs), one for very wide data.
  static constexpr Index kMaxStripes = 4;
  Index stripes() const { return stripes_; }

  // Block b's nonzeros by column: for s ∈ [segment_begin[b], segment_begin[b + 1]) the column
  // segment_column[s] has its entries at [segment_offset[s], segment_offset[s + 1]) of
  // local_row (row within the block, increasing) and value.
  struct BlockColumns {
    std::vector<std::int64_t> segment_begin;
    std::vector<Index> segment_column;
    std::vector<std::int64_t> segment_offset;
    std::vector<std::int64_t> local_row;
    std::vector<double> value;
  };
  // A row matrix and its labels as a pass reads them.
  struct Design {
    SparseMatrix rows;
    Eigen::VectorXi labels;
    bool unit = false;  // every stored value is 1 (one-hot data): products by it are skipped
    BlockColumns blocks;
  };
  const Design& direct() const { return direct_; }
  // With a factorisation A = P·E: P as a design, E (K × d) and Eᵀ (d × K), both CSR. P's rows
  // are sorted by their patterns, so that a block's rows share patterns (longer column
  // segments for the gradient); row i of the data is row position(i) of P.
  bool factored() const { return factored_.has_value(); }
  const Design& indicator() const { return factored_->indicator; }
  Index position(Index row) const { return factored_->position[static_cast<std::size_t>(row)]; }
  const SparseMatrix& patterns() const { return factored_->patterns; }
  const SparseMatrix& patterns_transposed() const { return factored_->patterns_transposed; }
  // Whether a pass over `count` rows (all rows: rows()) reads the factorisation: when its
  // fixed cost (the products with E) is outweighed by the entries it saves.
  bool reads_factored(Index count) const;

 private:
  struct Factored {
    Design indicator;
    std::vector<Index> position;
    SparseMatrix patterns, patterns_transposed;
  };
  Design direct_;
  Index stripes_ = 1;
  std::optional<Factored> factored_;
};

struct LogisticSums {
  Eigen::ArrayXd loss;     // Σ_i log(1 + e^{−y_i a_iᵀw}) per point
  Eigen::ArrayXd correct;  // rows with sign(a_iᵀw) = y_i per point (sign(0) = +1); 0 if not counted
  RowMatrix gradient;      // Σ_i −y_i σ(−y_i a_iᵀw) a_i, d × m; only when asked
};

// The sums over all rows (`rows` empty) or over the listed rows (repeats allowed), for the
// points that are the columns of `w` (d × m, row-major: a feature's values for all points are
// contiguous). With `want_gradient` the gradient is computed too, and `correct` only with
// `count_correct` (it is always counted without a gradient). With a team,
// the stripes of a pass over all rows run on its threads (same results).
LogisticSums logistic_sums(const LogisticKernelData& data, const RowMatrix& w,
                           std::span<const Index> rows, bool want_gradient,
                           ThreadTeam* team = nullptr, bool count_correct = false);

}  // namespace signopt
