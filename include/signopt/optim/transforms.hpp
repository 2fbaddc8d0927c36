#pragma once
// Update rules as small transforms with explicit state (optax's gradient transformations), in C++.
//
// A transform maps the incoming direction v (at first the gradient estimate g) coordinate by
// coordinate to an outgoing one, updating its own per-coordinate state on the way. A recipe is
// a compile-time chain of transforms (chain.hpp) whose last output u is subtracted: x ← x − u.
// Signum, for example, is chain(ema(β), sign, scale_by_schedule(γ_k)).
//
// Two shapes of transform exist:
//   * element-wise: `double map(Index i, double v, double x_i)`; every transform of the chain
//     is applied to coordinate i in turn, inside ONE loop over the coordinates, so a chain of
//     element-wise transforms reads and writes each state vector exactly once per step;
//   * reducing: needs one number computed from ALL coordinates of its input before it can emit
//     anything (‖·‖₂ for normalisation and clipping, ‖·‖₁ for scaled sign). It splits the step
//     into two loops: `prepare(i, v, x_i)` stores what it needs and returns the value whose norm
//     is taken, `finish(norm, d)` sees the norm, `emit(i, x_i)` produces the output.
// Each transform has `reset(d)` (allocate and zero state; called outside the hot path) and
// `begin_step(k)` (per-step scalars such as γ_k or Adam's bias corrections).
//
// sign(0) = 0 everywhere (docs/theory.md §2): a zero coordinate does not move. A NaN input also
// gives 0; use a finite oracle.
#include <cmath>
#include <concepts>

#include "signopt/core/types.hpp"
#include "signopt/optim/step_size_schedule.hpp"

namespace signopt::optim {

// sign(v) ∈ {−1, 0, +1} with sign(0) = 0, branch-free so that it vectorises and does not
// suffer mispredictions on noisy gradients.
inline double sign(double v) noexcept { return static_cast<double>((v > 0.0) - (v < 0.0)); }

enum class Norm { L1, L2 };

template <typename T>
concept ElementwiseTransform = requires(T t, Index d, Index k, Index i, double v, double x) {
  t.reset(d);
  t.begin_step(k);
  { t.map(i, v, x) } -> std::same_as<double>;
};

template <typename T>
concept ReducingTransform = requires(T t, Index d, Index k, Index i, double v, double x) {
  t.reset(d);
  t.begin_step(k);
  { t.prepare(i, v, x) } -> std::same_as<double>;
  t.finish(v, d);
  { t.emit(i, x) } -> std::same_as<double>;
  { T::norm } -> std::convertible_to<Norm>;
};

template <typename T>
concept Transform = ElementwiseTransform<T> || ReducingTransform<T>;

// u = γ_k · v, with γ_k from a step-size schedule.
class ScaleBySchedule {
 public:
  ScaleBySchedule() = default;
  explicit ScaleBySchedule(StepSizeSchedule schedule) : schedule_(schedule) {
    schedule_.validate();
  }
  void reset(Index /*d*/) {}
  void begin_step(Index k) { gamma_ = schedule_.at(k); }
  double map(Index, double v, double) const { return gamma_ * v; }
  double current() const { return gamma_; }
  const StepSizeSchedule& schedule() const { return schedule_; }

 private:
  StepSizeSchedule schedule_{};
  double gamma_ = 0.0;
};

// Exponential moving average, the seed's momentum: m ← β m + (1−β) v, output m (m⁰ = 0).
class Ema {
 public:
  explicit Ema(double beta = 0.9) : beta_(beta) {}
  void reset(Index d) { m_.setZero(d); }
  void begin_step(Index) {}
  double map(Index i, double v, double) {
    double& m = m_.coeffRef(i);
    m = beta_ * m + (1.0 - beta_) * v;
    return m;
  }
  const Vector& state() const { return m_; }
  bool finite() const { return m_.allFinite(); }

 private:
  double beta_;
  Vector m_;
};

// Heavy-ball trace: m ← β m + v, output m (m⁰ = 0). With x ← x − γ m this is Polyak's
// x^{k+1} = x^k − γ g^k + β (x^k − x^{k−1}) for constant γ.
class Trace {
 public:
  explicit Trace(double beta = 0.9) : beta_(beta) {}
  void reset(Index d) { m_.setZero(d); }
  void begin_step(Index) {}
  double map(Index i, double v, double) {
    double& m = m_.coeffRef(i);
    m = beta_ * m + v;
    return m;
  }
  const Vector& state() const { return m_; }
  bool finite() const { return m_.allFinite(); }

 private:
  double beta_;
  Vector m_;
};

// u = sign(v), sign(0) = 0.
class Sign {
 public:
  void reset(Index) {}
  void begin_step(Index) {}
  double map(Index, double v, double) const { return sign(v); }
};

// u = v / ‖v‖₂ (normalised SGD); u = 0 when v = 0. Reducing (needs ‖v‖₂ first).
class NormalizeByL2 {
 public:
  static constexpr Norm norm = Norm::L2;
  void reset(Index d) { held_.setZero(d); }
  void begin_step(Index) {}
  double prepare(Index i, double v, double) {
    held_.coeffRef(i) = v;
    return v;
  }
  void finish(double norm2, Index) { scale_ = norm2 > 0.0 ? 1.0 / norm2 : 0.0; }
  double emit(Index i, double) const { return scale_ * held_.coeff(i); }
  bool finite() const { return held_.allFinite(); }

 private:
  Vector held_;  // the input of this step (workspace, not carried across steps)
  double scale_ = 0.0;
};

// clip_λ(v) = min(1, λ/‖v‖₂) · v (docs/theory.md §2). At ‖v‖₂ = λ exactly the factor is 1.
class ClipByL2Norm {
 public:
  static constexpr Norm norm = Norm::L2;
  explicit ClipByL2Norm(double threshold = 1.0) : threshold_(threshold) {}
  void reset(Index d) { held_.setZero(d); }
  void begin_step(Index) {}
  double prepare(Index i, double v, double) {
    held_.coeffRef(i) = v;
    return v;
  }
  void finish(double norm2, Index) { scale_ = norm2 > threshold_ ? threshold_ / norm2 : 1.0; }
  double emit(Index i, double) const { return scale_ * held_.coeff(i); }
  bool finite() const { return held_.allFinite(); }
  double last_factor() const { return scale_; }

 private:
  double threshold_;
  Vector held_;
  double scale_ = 1.0;
};

// Error feedback with the scaled sign (Karimireddy et al. 2019, EF-SignSGD):
//   p = v + e,   Δ = (‖p‖₁ / d) · sign(p),   e ← p − Δ,   output Δ   (e⁰ = 0).
// With v = γ g (scale before this transform) this is exactly docs/theory.md §2's EF-SignSGD.
// p is kept in e itself between the two passes, so no extra vector is read or written.
class ErrorFeedbackScaledSign {
 public:
  static constexpr Norm norm = Norm::L1;
  void reset(Index d) { e_.setZero(d); }
  void begin_step(Index) {}
  double prepare(Index i, double v, double) {
    double& e = e_.coeffRef(i);
    e += v;  // e now holds p
    return e;
  }
  void finish(double norm1, Index d) { scale_ = norm1 / static_cast<double>(d); }
  double emit(Index i, double) {
    double& e = e_.coeffRef(i);
    const double delta = scale_ * sign(e);
    e -= delta;  // e = p − Δ
    return delta;
  }
  const Vector& residual() const { return e_; }
  bool finite() const { return e_.allFinite(); }
  double last_scale() const { return scale_; }

 private:
  Vector e_;
  double scale_ = 0.0;
};

// Adam's direction (Kingma & Ba 2015, Alg. 1), bias-corrected with the iteration index k:
//   m ← β1 m + (1−β1) v,  s ← β2 s + (1−β2) v²,  u = (m / (1−β1^k)) / (√(s / (1−β2^k)) + ε).
class AdamDirection {
 public:
  AdamDirection(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
      : beta1_(beta1), beta2_(beta2), epsilon_(epsilon) {}
  void reset(Index d) {
    m_.setZero(d);
    s_.setZero(d);
  }
  void begin_step(Index k) {
    inv_correction1_ = 1.0 / (1.0 - std::pow(beta1_, static_cast<double>(k)));
    inv_correction2_ = 1.0 / (1.0 - std::pow(beta2_, static_cast<double>(k)));
  }
  double map(Index i, double v, double) {
    double& m = m_.coeffRef(i);
    double& s = s_.coeffRef(i);
    m = beta1_ * m + (1.0 - beta1_) * v;
    s = beta2_ * s + (1.0 - beta2_) * v * v;
    return (m * inv_correction1_) / (std::sqrt(s * inv_correction2_) + epsilon_);
  }
  const Vector& first_moment() const { return m_; }
  const Vector& second_moment() const { return s_; }
  bool finite() const { return m_.allFinite() && s_.allFinite(); }

 private:
  double beta1_, beta2_, epsilon_;
  double inv_correction1_ = 1.0, inv_correction2_ = 1.0;
  Vector m_, s_;
};

// Decoupled weight decay (Loshchilov & Hutter 2019, AdamW): u = v + λ x. Placed before the
// step-size scaling, so the decay is multiplied by γ_k as in AdamW and Lion.
class AddDecayedWeights {
 public:
  explicit AddDecayedWeights(double weight_decay = 0.0) : weight_decay_(weight_decay) {}
  void reset(Index) {}
  void begin_step(Index) {}
  double map(Index, double v, double x) const { return v + weight_decay_ * x; }

 private:
  double weight_decay_;
};

// Lion's direction (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms", Alg. 2):
//   u = sign(β1 m + (1−β1) v),  then  m ← β2 m + (1−β2) v   (m⁰ = 0).
class LionDirection {
 public:
  LionDirection(double beta1 = 0.9, double beta2 = 0.99) : beta1_(beta1), beta2_(beta2) {}
  void reset(Index d) { m_.setZero(d); }
  void begin_step(Index) {}
  double map(Index i, double v, double) {
    double& m = m_.coeffRef(i);
    const double u = sign(beta1_ * m + (1.0 - beta1_) * v);
    m = beta2_ * m + (1.0 - beta2_) * v;
    return u;
  }
  const Vector& state() const { return m_; }
  bool finite() const { return m_.allFinite(); }

 private:
  double beta1_, beta2_;
  Vector m_;
};

}  // namespace signopt::optim
