#pragma once
// Additive gradient-noise models (docs/theory.md §5): g = ∇f(x) + z, z drawn per coordinate.
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "signopt/core/rng.hpp"

namespace signopt {

class NoiseModel {
 public:
  virtual ~NoiseModel() = default;

  // Short registry name ("gaussian", "alpha-stable", ...).
  virtual std::string name() const = 0;
  // Human description with parameters, e.g. "symmetric alpha-stable(alpha=1.5, scale=0.1, S1)".
  virtual std::string describe() const = 0;

  // Fills `out` with independent draws (already multiplied by the model's scale).
  virtual void sample(Rng& rng, std::span<double> out) const = 0;

  // Is the distribution symmetric about 0? (Majority vote assumes it.)
  virtual bool symmetric() const = 0;
  // sup{p : E|z|^p < ∞}; +∞ when every moment is finite.
  virtual double moment_supremum() const = 0;
  // Is E z = 0 (so g is unbiased)? False when the mean is undefined or non-zero.
  virtual bool zero_mean() const { return symmetric() && moment_supremum() > 1.0; }
  // E|z|^p for p > 0 in closed form (the theory's σ^κ for κ = p): +∞ when p ≥ moment_supremum(),
  // nullopt where no closed form is known.
  virtual std::optional<double> absolute_moment(double /*p*/) const { return std::nullopt; }
};

// The zero model: g = ∇f(x) exactly.
class NoNoise final : public NoiseModel {
 public:
  std::string name() const override { return "none"; }
  std::string describe() const override { return "none"; }
  void sample(Rng&, std::span<double> out) const override {
    for (double& v : out) v = 0.0;
  }
  bool symmetric() const override { return true; }
  double moment_supremum() const override { return std::numeric_limits<double>::infinity(); }
  bool zero_mean() const override { return true; }
  std::optional<double> absolute_moment(double) const override { return 0.0; }
};

}  // namespace signopt
