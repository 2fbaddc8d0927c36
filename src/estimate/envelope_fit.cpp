#include "signopt/estimate/envelope_fit.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "signopt/core/error.hpp"
#include "signopt/core/statistics.hpp"

namespace signopt::estimate {
namespace {

struct Point {
  double g, L;
};

struct Line {
  double L0 = 0.0, L1 = 0.0;
  const char* support = "";
  bool valid = false;
};

// z-component of (a − o) × (b − o): positive for a left turn o → a → b.
double cross(const Point& o, const Point& a, const Point& b) {
  return (a.g - o.g) * (b.L - o.L) - (a.L - o.L) * (b.g - o.g);
}

// Upper convex hull (Andrew's monotone chain) of the active points; `sorted` is ordered by g,
// then L. Returns indices into `points`, left to right. Of several points with the same g only
// the highest can be a vertex.
std::vector<std::size_t> upper_hull(const std::vector<Point>& points,
                                    const std::vector<std::size_t>& sorted,
                                    const std::vector<char>& active) {
  std::vector<std::size_t> hull;
  for (std::size_t i : sorted) {
    if (active[i] == 0) continue;
    const Point& p = points[i];
    if (!hull.empty() && points[hull.back()].g == p.g) {
      if (p.L < points[hull.back()].L) continue;
      hull.pop_back();
    }
    while (hull.size() >= 2 &&
           cross(points[hull[hull.size() - 2]], points[hull.back()], p) >= 0.0) {
      hull.pop_back();
    }
    hull.push_back(i);
  }
  return hull;
}

struct Objective {
  double g_ref, g_mid;
  // Lexicographic: value at g_ref, then at the middle of the range, then the slope.
  bool better(const Line& a, const Line& b) const {
    if (!b.valid) return a.valid;
    if (!a.valid) return false;
    const double va = a.L0 + a.L1 * g_ref, vb = b.L0 + b.L1 * g_ref;
    const double tol = 1e-12 * std::max({1.0, std::abs(va), std::abs(vb)});
    if (va < vb - tol) return true;
    if (va > vb + tol) return false;
    const double ma = a.L0 + a.L1 * g_mid, mb = b.L0 + b.L1 * g_mid;
    if (ma < mb - tol) return true;
    if (ma > mb + tol) return false;
    return a.L1 < b.L1;
  }
};

// The exact LP optimum over the candidate lines of the hull (see the header).
Line best_line(const std::vector<Point>& points, const std::vector<std::size_t>& hull,
               const Objective& objective) {
  Line best;
  if (hull.empty()) return best;
  auto consider = [&](Line line) {
    line.valid = true;
    if (objective.better(line, best)) best = line;
  };
  // L1 = 0 through the highest point.
  double top = 0.0;
  for (std::size_t i : hull) top = std::max(top, points[i].L);
  consider({top, 0.0, "L1 = 0", true});
  // L0 = 0 through the point of largest L/g: feasible only if no point with g = 0 has L > 0.
  const Point& first = points[hull.front()];
  if (!(first.g == 0.0 && first.L > 0.0)) {
    double slope = -1.0;
    for (std::size_t i : hull) {
      if (points[i].g > 0.0) slope = std::max(slope, points[i].L / points[i].g);
    }
    if (slope >= 0.0) consider({0.0, slope, "L0 = 0", true});
  }
  // Hull edges with non-negative slope and intercept.
  for (std::size_t e = 0; e + 1 < hull.size(); ++e) {
    const Point& a = points[hull[e]];
    const Point& b = points[hull[e + 1]];
    const double slope = (b.L - a.L) / (b.g - a.g);
    const double intercept = a.L - slope * a.g;
    if (slope >= 0.0 && intercept >= 0.0) consider({intercept, slope, "two points", true});
  }
  return best;
}

bool above(const Point& p, double L0, double L1) {
  const double line = L0 + L1 * p.g;
  return p.L > line + 1e-9 * std::max(1.0, std::abs(line));
}

}  // namespace

EnvelopeFit fit_upper_envelope(std::span<const double> grad_norms,
                               std::span<const double> smoothness, const EnvelopeOptions& options) {
  require(grad_norms.size() == smoothness.size(),
          "envelope fit: {} gradient norms but {} smoothness values", grad_norms.size(),
          smoothness.size());
  require(!grad_norms.empty(), "envelope fit: no (gradient norm, smoothness) pairs to fit");
  require(options.outlier_fraction >= 0.0 && options.outlier_fraction < 1.0,
          "envelope fit: the outlier fraction must be in [0, 1), got {}", options.outlier_fraction);
  const std::size_t n = grad_norms.size();
  std::vector<Point> points(n);
  for (std::size_t j = 0; j < n; ++j) {
    const double g = grad_norms[j], L = smoothness[j];
    require(std::isfinite(g) && std::isfinite(L) && g >= 0.0 && L >= 0.0,
            "envelope fit: pair {} is (g = {}, L = {}); both must be finite and >= 0", j, g, L);
    points[j] = {g, L};
  }
  EnvelopeFit fit;
  fit.points = n;
  fit.allowed_above =
      static_cast<std::size_t>(std::floor(options.outlier_fraction * static_cast<double>(n)));
  if (options.reference_norm) {
    require(std::isfinite(*options.reference_norm) && *options.reference_norm >= 0.0,
            "envelope fit: the reference gradient norm must be finite and >= 0, got {}",
            *options.reference_norm);
    fit.reference_norm = *options.reference_norm;
  } else {
    fit.reference_norm = median(grad_norms);
  }
  const auto [gmin, gmax] = std::minmax_element(grad_norms.begin(), grad_norms.end());
  const Objective objective{fit.reference_norm, 0.5 * (*gmin + *gmax)};

  std::vector<std::size_t> sorted(n);
  std::iota(sorted.begin(), sorted.end(), std::size_t{0});
  std::sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) {
    return points[a].g < points[b].g || (points[a].g == points[b].g && points[a].L < points[b].L);
  });

  // Candidates for peeling: the first m + 1 upper convex layers (only they can support the
  // line after m removals: a point below the hull of layer i stays below it unless a point of
  // layer i is removed).
  std::vector<char> active(n, 1);
  std::vector<std::size_t> candidates;
  if (fit.allowed_above == 0) {
    candidates = sorted;
  } else {
    std::vector<char> remaining(n, 1);
    for (std::size_t layer = 0; layer <= fit.allowed_above; ++layer) {
      const auto hull = upper_hull(points, sorted, remaining);
      if (hull.empty()) break;
      for (std::size_t i : hull) remaining[i] = 0;
    }
    for (std::size_t i : sorted) {
      if (remaining[i] == 0) candidates.push_back(i);
    }
  }

  auto fit_active = [&] {
    return best_line(points, upper_hull(points, candidates, active), objective);
  };
  Line line = fit_active();
  for (std::size_t removed = 0; removed < fit.allowed_above; ++removed) {
    // The points the line rests on; try removing the leftmost and the rightmost of them.
    std::vector<std::size_t> touching;
    for (std::size_t i : candidates) {
      if (active[i] != 0 && !above(points[i], line.L0, line.L1) &&
          points[i].L >= line.L0 + line.L1 * points[i].g -
                             1e-9 * std::max(1.0, line.L0 + line.L1 * points[i].g)) {
        touching.push_back(i);
      }
    }
    if (touching.empty()) break;  // cannot happen: the optimum rests on at least one point
    std::vector<std::size_t> tries{touching.front()};
    if (touching.back() != touching.front()) tries.push_back(touching.back());
    Line best_after;
    std::size_t best_removal = tries.front();
    for (std::size_t i : tries) {
      active[i] = 0;
      const Line after = fit_active();
      active[i] = 1;
      if (objective.better(after, best_after)) {
        best_after = after;
        best_removal = i;
      }
    }
    active[best_removal] = 0;
    line = best_after.valid ? best_after : fit_active();
  }

  fit.L0 = line.L0;
  fit.L1 = line.L1;
  fit.support = line.support;
  fit.objective = line.L0 + line.L1 * fit.reference_norm;
  for (const Point& p : points) fit.above += above(p, fit.L0, fit.L1) ? 1 : 0;
  return fit;
}

}  // namespace signopt::estimate
