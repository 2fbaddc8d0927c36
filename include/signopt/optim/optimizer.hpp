#pragma once
// The runtime face of an optimizer, used by the experiment runner and the CLI.
//
// Lifecycle for one run:  reset(x¹);  for k = 1..T: step(k, x, oracle).
// step() asks the oracle for g^k = (1/B_k) Σ ∇f(x^k, ξ_i) at the current point and updates x in
// place to x^{k+1}. update() does the same with a gradient the caller already has (benchmarks,
// distributed workers). All buffers are allocated in reset(): steps do not allocate.
//
// Recipes are compile-time chains of transforms (chain.hpp, recipes.hpp); ComposedOptimizer
// wraps one behind this interface. Build them by name with make_optimizer()
// (method_registry.hpp).
#include <string>

#include "signopt/core/error.hpp"
#include "signopt/core/types.hpp"
#include "signopt/optim/batch_schedule.hpp"
#include "signopt/optim/step_size_schedule.hpp"
#include "signopt/oracle/gradient_oracle.hpp"

namespace signopt::optim {

class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // Registry name of the recipe ("m-signsgd", ...).
  virtual std::string name() const = 0;
  // Prepares for a run from x¹: sizes and zeroes every state vector.
  virtual void reset(const Vector& x0) = 0;
  // Iteration k (1-based): g ← oracle.estimate(x, B_k); x ← x − update(g).
  virtual void step(Index k, Vector& x, GradientOracle& oracle) = 0;
  // Iteration k with a given gradient estimate g.
  virtual void update(Index k, const Vector& g, Vector& x) = 0;

  // Batch size B_k this optimizer asks the oracle for at iteration k (1 unless minibatch).
  virtual Index batch_size(Index k) const = 0;
  // Step size γ_k at iteration k.
  virtual double step_size(Index k) const = 0;
  // The gradient estimate of the last step() (empty before the first).
  virtual const Vector& last_gradient() const = 0;
  // Are all state vectors finite (no overflow / NaN)?
  virtual bool state_finite() const = 0;
  // Dimension fixed by the last reset() (0 before).
  virtual Index dim() const = 0;
};

template <typename ChainType>
class ComposedOptimizer final : public Optimizer {
 public:
  ComposedOptimizer(std::string name, ChainType chain, StepSizeSchedule step_sizes,
                    BatchSchedule batches = {})
      : name_(std::move(name)),
        chain_(std::move(chain)),
        step_sizes_(step_sizes),
        batches_(batches) {
    step_sizes_.validate();
    batches_.validate();
  }

  std::string name() const override { return name_; }

  void reset(const Vector& x0) override {
    require(x0.size() >= 1, "optimizer '{}': the starting point is empty", name_);
    d_ = x0.size();
    chain_.reset(d_);
    gradient_.setZero(d_);
  }

  // Sizes and zeroes the state for update() and chain().apply() only, without the buffer step()
  // has the oracle fill (d doubles less: the Python binding and signopt.torch hand in their own
  // gradients). step() after it is an error until reset().
  void reset_for_updates(Index d) {
    require(d >= 1, "optimizer '{}': the iterate is empty", name_);
    d_ = d;
    chain_.reset(d_);
    gradient_ = Vector();
  }

  void step(Index k, Vector& x, GradientOracle& oracle) override {
    if (gradient_.size() != d_)
      fail("optimizer '{}': step() after reset_for_updates(); call reset() first", name_);
    oracle.estimate(x, batches_.at(k), gradient_);
    update(k, gradient_, x);
  }

  void update(Index k, const Vector& g, Vector& x) override {
    if (g.size() != d_ || x.size() != d_ || k < 1) {
      fail(
          "optimizer '{}': step {} got x of size {} and g of size {}, expected k >= 1 and size {} "
          "(was reset() called?)",
          name_, k, x.size(), g.size(), d_);
    }
    chain_.apply(k, g.data(), x.data(), d_);
  }

  Index batch_size(Index k) const override { return batches_.at(k); }
  double step_size(Index k) const override { return step_sizes_.at(k); }
  const Vector& last_gradient() const override { return gradient_; }
  bool state_finite() const override { return chain_.finite(); }
  Index dim() const override { return d_; }

  ChainType& chain() { return chain_; }
  const ChainType& chain() const { return chain_; }

 private:
  std::string name_;
  ChainType chain_;
  StepSizeSchedule step_sizes_;
  BatchSchedule batches_;
  Index d_ = 0;
  Vector gradient_;
};

}  // namespace signopt::optim
