#pragma once
// Central finite differences for checking gradients in tests.
#include "signopt/problems/problem.hpp"

namespace signopt::testing {

// ∂f/∂x_i ≈ (f(x + h e_i) − f(x − h e_i)) / 2h for every coordinate.
inline Vector finite_difference_gradient(const Problem& f, const Vector& x, double h = 1e-6) {
  Vector g(x.size());
  Vector xp = x;
  for (Index i = 0; i < x.size(); ++i) {
    const double xi = x[i];
    xp[i] = xi + h;
    const double fp = f.value(xp);
    xp[i] = xi - h;
    const double fm = f.value(xp);
    xp[i] = xi;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

// Relative error ‖a − b‖ / max(1, ‖b‖).
inline double relative_error(const Vector& a, const Vector& b) {
  return (a - b).norm() / std::max(1.0, b.norm());
}

}  // namespace signopt::testing
