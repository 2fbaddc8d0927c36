#include "signopt/problems/mlp.hpp"

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

DenseNetwork mlp_network(const std::shared_ptr<const Dataset>& train, const MlpOptions& options) {
  require(train != nullptr, "an MLP needs a training set");
  std::vector<Index> sizes{train->cols()};
  sizes.insert(sizes.end(), options.hidden.begin(), options.hidden.end());
  sizes.push_back(train->num_classes);
  return DenseNetwork(std::move(sizes), options.activation);
}

}  // namespace

Mlp::Mlp(std::shared_ptr<const Dataset> train, std::shared_ptr<const Dataset> test,
         MlpOptions options)
    : NetworkClassifierProblem(mlp_network(train, options), train, std::move(test), options.l2,
                               options.precision) {}

}  // namespace signopt
