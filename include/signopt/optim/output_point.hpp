#pragma once
// Which point a run reports (docs/theory.md §2, "Output point").
//
//   uniform: x^τ with τ uniform on {1..T} — what the theorems bound. Chosen by reservoir
//            sampling (Vitter's Algorithm R with a reservoir of one): candidate x^k replaces the
//            kept point with probability 1/k, so no more than one extra copy of x is stored,
//            and the expected number of copies made is H_T ≈ ln T.
//   last:    x^{T+1}, the point the optimizer ends at.
//   best:    the observed point with the smallest caller-supplied value (e.g. f(x)), among
//            x^1..x^{T+1}; ties keep the earlier point; NaN values never win.
//
// Protocol, for k = 1..T:
//   OutputPoint out(rule, rng);  out.start(x¹, f(x¹));
//   for k: optimizer.step(k, x, oracle); out.observe_step(k, x, f(x));   // x is now x^{k+1}
// The candidates of `uniform` are exactly the points at which gradients were taken: x^k is
// drawn for when it arrives (start() or the previous observe_step()), copied only if drawn,
// and enters the reservoir once step k has been taken from it; x^{T+1} never does.
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"

namespace signopt::optim {

enum class OutputRule { Uniform, Last, Best };

std::string to_string(OutputRule rule);
OutputRule output_rule_from_string(const std::string& name);  // Error lists valid names

class OutputPoint {
 public:
  // The uniform rule draws from `rng`; derive it from the run's seed (e.g. with
  // stream_tag("output-point")) so the choice is reproducible.
  explicit OutputPoint(OutputRule rule, Rng rng = Rng(0));

  OutputRule rule() const { return rule_; }
  // Does the rule use the values passed to start()/observe_step()? (Only `best` does.)
  bool needs_value() const { return rule_ == OutputRule::Best; }

  // x¹ and, for `best`, its value. Allocates the buffers (d doubles each).
  void start(const Vector& x1, double value = std::numeric_limits<double>::quiet_NaN());
  // Step k (1-based, consecutive) has been taken; x_next = x^{k+1}.
  void observe_step(Index k, const Vector& x_next,
                    double value = std::numeric_limits<double>::quiet_NaN());

  // The chosen point and its iteration index τ (x^τ). For `uniform` this needs at least one
  // observed step.
  const Vector& point() const;
  Index index() const;
  // The value of the chosen point for `best` (NaN otherwise, or when none was finite).
  double value() const { return value_; }
  Index steps_observed() const { return steps_; }

 private:
  OutputRule rule_;
  Rng rng_;
  Index steps_ = 0;
  // uniform: the kept candidate and the pending one (the current point, drawn for already).
  Vector kept_, pending_;
  Index kept_index_ = 0;
  bool pending_selected_ = false;
  // last / best
  Vector point_;
  Index index_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
  bool started_ = false;

  void draw_candidate(Index k, const Vector& x_k);
};

}  // namespace signopt::optim
