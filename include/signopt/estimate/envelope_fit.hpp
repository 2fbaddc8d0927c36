#pragma once
// Upper-envelope fit of (L0, L1)-smoothness constants from measured pairs (g_j, L̂_j), where
// g_j = ‖∇f(x)‖₂ and L̂_j a local smoothness estimate at x (docs/theory.md §7, Zhang et al. 2020).
//
// (L0, L1)-smoothness says L̂ ≤ L0 + L1·g: the constants are a line lying above the points.
// Among all such lines the fit takes the one that is lowest where the data are:
//
//   minimise  L0 + L1·g_ref   subject to  L0 ≥ 0, L1 ≥ 0,  L̂_j ≤ L0 + L1·g_j  for all kept j,
//
// with g_ref the median of the g_j by default (the line is tightest at the typical gradient
// norm of the trajectory). This is a linear program in two variables. Its optimum is a vertex
// of the feasible set, i.e. a line through two points (then an edge of the upper convex hull
// of the points), a horizontal line through the highest point (L1 = 0), or a line through the
// origin and the point of largest L̂/g (L0 = 0). The fit enumerates exactly these candidates
// on the upper hull (Andrew's monotone chain, O(n log n)), so the result is the exact LP
// optimum. Ties are broken by the value at the middle of the observed g-range, then by the
// smaller L1.
//
// Outliers: with outlier_fraction q > 0 up to m = ⌊q·n⌋ points may lie above the line. They
// are removed by greedy peeling: m times, take the points the current line rests on (the
// leftmost and rightmost touching point), remove the one whose removal lowers the objective
// most, and refit. Only the first m + 1 convex layers can ever support the line after m
// removals, so the peeling works on those points only (O(q·n²) in the worst case, fast for
// the few-percent fractions used in practice). Greedy peeling is not guaranteed to find the
// best set of m points to drop; the line it returns always lies above all but at most m
// points, which is what the estimate promises.
#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace signopt::estimate {

struct EnvelopeOptions {
  double outlier_fraction = 0.0;         // q ∈ [0, 1): at most ⌊q·n⌋ points above the line
  std::optional<double> reference_norm;  // g_ref ≥ 0; default: the median of the g_j
};

struct EnvelopeFit {
  double L0 = 0.0;
  double L1 = 0.0;
  double reference_norm = 0.0;    // g_ref used in the objective
  double objective = 0.0;         // L0 + L1·g_ref
  std::size_t points = 0;         // n
  std::size_t allowed_above = 0;  // m = ⌊q·n⌋
  std::size_t above = 0;          // points strictly above the fitted line (≤ m)
  std::string support;            // which constraints are tight: "two points", "L1 = 0", "L0 = 0"
};

// Throws Error when the spans differ in length, are empty, hold a negative or non-finite value,
// or q ∉ [0, 1).
EnvelopeFit fit_upper_envelope(std::span<const double> grad_norms,
                               std::span<const double> smoothness,
                               const EnvelopeOptions& options = {});

}  // namespace signopt::estimate
