#include "signopt/experiment/method_optimizer.hpp"

#include "signopt/core/error.hpp"
#include "signopt/optim/method_registry.hpp"

namespace signopt::experiment {

DistributedOptimizer::DistributedOptimizer(std::string recipe, DistributedMethod method)
    : recipe_(std::move(recipe)), method_(std::move(method)) {}

void DistributedOptimizer::reset(const Vector& x0) {
  require(x0.size() >= 1, "distributed method '{}': the starting point is empty", recipe_);
  d_ = x0.size();
  method_.config.validate(d_);
  step_.reset();
  communicator_.reset();
  other_workers_.clear();
  gradients_.assign(static_cast<std::size_t>(method_.config.workers), Vector::Zero(d_));
  mean_gradient_.resize(0);
}

void DistributedOptimizer::step(Index k, Vector& x, GradientOracle& oracle) {
  require(d_ > 0 && x.size() == d_ && k >= 1,
          "distributed method '{}': step {} got x of size {}, expected k >= 1 and size {} (was "
          "reset() called?)",
          recipe_, k, x.size(), d_);
  if (!step_) {
    // Built at the first step: the run's seeds come with its oracle, which must be worker 0's.
    const StreamKey key = oracle.key();
    require(key.worker == 0,
            "distributed method '{}': step() takes worker 0's oracle, got worker {}'s", recipe_,
            key.worker);
    const Index m = method_.config.workers;
    communicator_ = std::make_unique<InProcessCommunicator>(m);
    step_ = std::make_unique<DistributedStep>(method_.config, d_, *communicator_,
                                              StreamKey{key.experiment_seed, key.run_seed, 0});
    for (Index j = 1; j < m; ++j)
      other_workers_.push_back(oracle.for_worker(static_cast<std::uint64_t>(j)));
  }
  // With full-gradient sampling every worker's exact part is ∇f(x): computed once, as the
  // runner does.
  const bool full = oracle.sampling() == Sampling::Full;
  if (full) oracle.problem().gradient(x, exact_);
  for (std::size_t j = 0; j < gradients_.size(); ++j) {
    GradientOracle& o = j == 0 ? oracle : other_workers_[j - 1];
    if (full) o.hint_exact_gradient(exact_);
    o.estimate(x, 1, gradients_[j]);
  }
  mean_gradient_.setZero(d_);
  for (const Vector& g : gradients_) mean_gradient_ += g;
  mean_gradient_ /= static_cast<double>(gradients_.size());
  step_->step(x, gradients_, method_.step_size);
}

void DistributedOptimizer::update(Index, const Vector&, Vector&) {
  fail("distributed method '{}' takes one gradient per worker: drive it with step()", recipe_);
}

bool DistributedOptimizer::state_finite() const {
  if (!step_) return true;
  for (Index i = 0; i < step_->local_workers(); ++i) {
    if (!step_->worker_momentum(i).allFinite() || !step_->worker_residual(i).allFinite())
      return false;
  }
  return true;
}

std::unique_ptr<optim::Optimizer> make_method_optimizer(const MethodConfig& method,
                                                        const optim::Params& params) {
  if (method.workers > 0) {
    return std::make_unique<DistributedOptimizer>(
        method.recipe, make_distributed_method(method, method.workers, params));
  }
  if (is_distributed_recipe(method.recipe)) {
    fail("method '{}': '{}' is a distributed recipe and needs workers = M (≥ 1)", method.label,
         method.recipe);
  }
  return optim::make_optimizer(method.recipe, params);
}

}  // namespace signopt::experiment
