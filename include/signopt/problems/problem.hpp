#pragma once
// Objectives f(x) to minimise.
//
// Two faces of one idea: the C++20 concept `Objective` for library code that wants
// static dispatch, and the runtime interface `Problem` at the CLI/config boundary. Every
// concrete problem derives from Problem and therefore models Objective.
#include <concepts>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"
#include "signopt/problems/reference_optimum.hpp"

namespace signopt {

class ThreadTeam;

// A named scalar such as "test_accuracy".
struct Metric {
  std::string name;
  double value;
};

// Smoothness constants known in closed form: ‖∇f(x) − ∇f(y)‖ ≤ (L0 + L1 sup‖∇f‖)‖x − y‖.
// `L` is the plain smoothness constant when f is L-smooth (absent otherwise).
struct SmoothnessConstants {
  double L0 = 0.0;
  double L1 = 0.0;
  std::optional<double> L;
  std::string note;  // where the constants come from
};

// Training-set metrics of one pass beyond f, one entry per point: the data term (f without its
// regulariser, comparable with a test loss) and, for labelled data, the training accuracy.
struct TrainingMetrics {
  Vector data_loss;
  Vector accuracy;  // empty unless the problem has_train_accuracy()
};

class Problem {
 public:
  virtual ~Problem() = default;

  virtual std::string name() const = 0;
  virtual Index dim() const = 0;
  // Number of summands of a finite sum f = (1/n) Σ f_i; 0 when f is not a finite sum.
  virtual Index num_samples() const { return 0; }

  virtual double value(const Vector& x) const = 0;
  virtual void gradient(const Vector& x, Vector& grad) const = 0;
  // f(x) and ∇f(x) in one pass where that is cheaper.
  virtual double value_and_gradient(const Vector& x, Vector& grad) const {
    gradient(x, grad);
    return value(x);
  }
  // Values and gradients at m points at once: points is d×m, values gets m entries, grads d×m.
  // Problems whose cost is dominated by a pass over data override this to share the pass.
  // With a team, a problem that splits_passes() spreads the pass over the team's threads; the
  // results are the same whatever the team (or none).
  virtual void value_and_gradient_many(const Matrix& points, Vector& values, Matrix& grads,
                                       ThreadTeam* team = nullptr) const;
  // Whether the many-point passes use a ThreadTeam (the runner then steps all runs as one
  // group and lends it its threads, instead of giving each thread a group of its own).
  virtual bool splits_passes() const { return false; }

  // value_and_gradient_many plus the training metrics of the same points. The default computes
  // data_loss = f − regularizer(x) and no accuracy; problems with labels override it to take
  // both from the same pass. Values and gradients equal value_and_gradient_many's bit for bit.
  virtual void evaluate_training_pass(const Matrix& points, Vector& values, Matrix& grads,
                                      TrainingMetrics& train, ThreadTeam* team = nullptr) const;
  virtual bool has_train_accuracy() const { return false; }
  // The regulariser r in f = (data term) + r, e.g. (λ/2)‖x‖²; 0 for problems without one.
  virtual double regularizer(const Vector& /*x*/) const { return 0.0; }

  // Gradient of (1/|S|) Σ_{i∈S} f_i(x) (+ regulariser) over the given sample indices; returns
  // the minibatch's data loss (1/|S|) Σ_{i∈S} ℓ_i(x), without the regulariser (computed on the
  // way: the runner records it per step). Only for finite sums; the default throws.
  virtual double minibatch_gradient(const Vector& x, std::span<const Index> samples,
                                    Vector& grad) const;

  // Held-out metrics (test loss, test accuracy, ...) where the problem has a test set.
  virtual std::vector<Metric> test_metrics(const Vector& /*x*/) const { return {}; }
  // Held-out metrics at m points (columns of a d×m matrix); result[j] belongs to column j.
  // Problems with a large test set override this to share one pass over it.
  virtual std::vector<std::vector<Metric>> test_metrics_many(const Matrix& points,
                                                             ThreadTeam* team = nullptr) const;

  // Starting point x¹ (default: zeros). Neural networks draw their initialisation from rng.
  virtual Vector initial_point(Rng& /*rng*/) const { return Vector::Zero(dim()); }

  // Closed-form (L0, L1) constants where known, proved valid for f (the theory check relies on
  // it: heuristics belong elsewhere, e.g. LogisticRegression::seed_constants()).
  virtual std::optional<SmoothnessConstants> analytic_constants() const { return std::nullopt; }

  // A lower bound f* on f where known (for Δ1 = f(x¹) − f*), e.g. 0 for non-negative losses.
  virtual std::optional<double> lower_bound() const { return std::nullopt; }

  // For the reference solve of f* (reference_optimum.hpp). Whether f is convex: only then is a
  // stationary point the global minimum.
  virtual bool is_convex() const { return false; }
  // The minimiser and minimum where known in closed form (used before any iterative solve).
  virtual std::optional<ReferenceOptimum> closed_form_optimum() const { return std::nullopt; }
  // μ > 0 such that f is μ-strongly convex, where known; it certifies f(x) − f* ≤ ‖∇f(x)‖²/(2μ).
  virtual std::optional<double> strong_convexity() const { return std::nullopt; }
  // The exact Hessian ∇²f(x) as a dense d×d matrix where that is cheap to form and factor
  // (Newton's method in the reference solve); absent otherwise.
  virtual std::optional<Matrix> dense_hessian(const Vector& /*x*/) const { return std::nullopt; }
  // Is lower_bound() the minimum itself (so Δ1 is exact)?
  virtual bool lower_bound_is_minimum() const { return false; }
};

// Compile-time face: anything with a dimension, value and gradient.
template <typename F>
concept Objective = requires(const F& f, const Vector& x, Vector& g) {
  { f.dim() } -> std::convertible_to<Index>;
  { f.value(x) } -> std::convertible_to<double>;
  { f.gradient(x, g) };
};

// A finite sum additionally evaluates minibatch gradients.
template <typename F>
concept FiniteSumObjective =
    Objective<F> && requires(const F& f, const Vector& x, std::span<const Index> s, Vector& g) {
      { f.num_samples() } -> std::convertible_to<Index>;
      { f.minibatch_gradient(x, s, g) };
    };

}  // namespace signopt
