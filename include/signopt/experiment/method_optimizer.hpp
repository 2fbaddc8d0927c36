#pragma once
// Every [[method]] of a config behind the optim::Optimizer interface, for the subcommands that
// drive trajectories outside the runner (estimate smoothness, estimate noise): a single-process
// recipe from the optimizer registry, or a distributed recipe (workers = M) simulated in one
// process by DistributedOptimizer.
#include <memory>
#include <vector>

#include "signopt/distributed/distributed_step.hpp"
#include "signopt/distributed/in_process_communicator.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/distributed_method.hpp"
#include "signopt/optim/optimizer.hpp"

namespace signopt::experiment {

// A distributed method with its M workers simulated in this process. The oracle passed to
// step() is worker 0's (StreamKey.worker = 0); workers 1..M−1 draw from
// oracle.for_worker(j), made at the first step after reset(). So a trajectory draws from the
// same streams as `signopt run` with the simulated backend for the same (experiment seed, run
// seed), and the tie bits of majority vote come from that run's seed.
class DistributedOptimizer final : public optim::Optimizer {
 public:
  DistributedOptimizer(std::string recipe, DistributedMethod method);

  std::string name() const override { return recipe_; }
  void reset(const Vector& x0) override;
  void step(Index k, Vector& x, GradientOracle& oracle) override;
  // A distributed step needs one gradient per worker: throws Error.
  void update(Index k, const Vector& g, Vector& x) override;
  Index batch_size(Index) const override { return 1; }  // per worker and step
  double step_size(Index) const override { return method_.step_size; }
  // The mean of the M workers' estimates of the last step.
  const Vector& last_gradient() const override { return mean_gradient_; }
  bool state_finite() const override;
  Index dim() const override { return d_; }

  // Bits per worker since reset() (zero before the first step).
  StepBits total_bits() const { return step_ ? step_->total_bits() : StepBits{}; }

 private:
  std::string recipe_;
  DistributedMethod method_;
  Index d_ = 0;
  std::unique_ptr<InProcessCommunicator> communicator_;
  std::unique_ptr<DistributedStep> step_;
  std::vector<GradientOracle> other_workers_;  // workers 1..M−1
  std::vector<Vector> gradients_;
  Vector exact_, mean_gradient_;
};

// The optimizer for `method` with its theory words already resolved in `params`: distributed
// when method.workers > 0. Throws Error as the runner would for a bad recipe or parameter.
std::unique_ptr<optim::Optimizer> make_method_optimizer(const MethodConfig& method,
                                                        const optim::Params& params);

}  // namespace signopt::experiment
