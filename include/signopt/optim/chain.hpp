#pragma once
// A recipe is a chain of transforms composed at compile time: Chain<Ema, Sign, ScaleBySchedule>
// is Signum. The composition is a template, so the compiler inlines every transform's map()
// into one loop over the coordinates: one fused pass that reads g, x and each state vector once
// and writes x and each state once, with no temporaries (docs/methods.md explains why this is
// done at compile time rather than by a runtime list of transforms).
//
// At most one transform of a chain may be reducing (it needs a norm of its whole input). Then
// the step is two passes: the transforms before it and its prepare() in the first, with the
// norm accumulated on the way; its emit() and the transforms after it in the second.
// The norm is summed in a fixed order (four interleaved partial sums, combined pairwise), so
// results are bit-identical across runs and thread counts.
#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <tuple>
#include <utility>

#include "signopt/core/types.hpp"
#include "signopt/optim/transforms.hpp"

namespace signopt::optim {

namespace detail {
template <typename... Ts>
constexpr std::size_t first_reducing() {
  constexpr std::array<bool, sizeof...(Ts)> reducing{ReducingTransform<Ts>...};
  for (std::size_t i = 0; i < reducing.size(); ++i) {
    if (reducing[i]) return i;
  }
  return sizeof...(Ts);
}
template <typename... Ts>
constexpr std::size_t count_reducing() {
  return (std::size_t{0} + ... + (ReducingTransform<Ts> ? 1 : 0));
}
}  // namespace detail

// A contiguous piece of an iterate: x[0..size) and its gradient g[0..size) are coordinates
// [offset, offset + size) of the chain's state.
template <typename Real>
struct Segment {
  const Real* g;
  Real* x;
  Index offset;
  Index size;
};

template <Transform... Ts>
class Chain {
  static_assert(sizeof...(Ts) >= 1, "a chain needs at least one transform");
  static_assert(detail::count_reducing<Ts...>() <= 1,
                "a chain may hold at most one reducing transform (one extra pass)");

 public:
  static constexpr std::size_t size = sizeof...(Ts);
  static constexpr std::size_t barrier = detail::first_reducing<Ts...>();
  static constexpr bool single_pass = barrier == size;

  Chain() = default;
  explicit Chain(Ts... transforms) : parts_(std::move(transforms)...) {}

  void reset(Index d) {
    std::apply([d](auto&... t) { (t.reset(d), ...); }, parts_);
  }

  // One step: x ← x − chain(g), element-wise over d coordinates.
  void apply(Index k, const double* g, double* x, Index d) {
    const Segment<double> whole{g, x, 0, d};
    apply(k, std::span<const Segment<double>>(&whole, 1));
  }

  // One step on an iterate held in pieces (a model's parameter tensors): the same arithmetic as
  // apply() on the concatenation of the pieces, with the state of coordinate offset + j used for
  // piece coordinate j. Pieces may leave out coordinates (a parameter without a gradient): those
  // keep their x and state, and the step is the chain on the concatenation of the pieces given
  // (their total is the d of a reducing transform's norm and finish()). The norm's partial sums
  // follow the position in that concatenation, so the result is bit-identical to apply() on it.
  // Real = float: x and g are read as double, everything is computed in double with double
  // state, and x is rounded to float once per step.
  template <typename Real>
  void apply(Index k, std::span<const Segment<Real>> pieces) {
    std::apply([k](auto&... t) { (t.begin_step(k), ...); }, parts_);
    if constexpr (single_pass) {
      for (const auto& p : pieces) {
        for (Index j = 0; j < p.size; ++j) {
          const double xj = p.x[j];
          p.x[j] = static_cast<Real>(xj - map_range<0, size>(p.offset + j, p.g[j], xj));
        }
      }
    } else {
      auto& reducer = std::get<barrier>(parts_);
      using Reducer = std::remove_reference_t<decltype(reducer)>;
      auto contribution = [](double u) {
        if constexpr (Reducer::norm == Norm::L1) {
          return std::abs(u);
        } else {
          return u * u;
        }
      };
      Index d = 0;
      for (const auto& p : pieces) d += p.size;
      // Positions n < blocked go to partial[n mod 4] (four interleaved sums), the last d mod 4 to
      // partial[0]: the order of apply() on one vector.
      const Index blocked = d - d % 4;
      std::array<double, 4> partial{0.0, 0.0, 0.0, 0.0};
      Index n = 0;
      for (const auto& p : pieces) {
        auto add = [&](Index j, std::size_t slot) {
          const Index c = p.offset + j;
          const double xj = p.x[j];
          partial[slot] +=
              contribution(reducer.prepare(c, map_range<0, barrier>(c, p.g[j], xj), xj));
        };
        Index j = 0;
        for (; j < p.size && n % 4 != 0 && n < blocked; ++j, ++n)
          add(j, static_cast<std::size_t>(n % 4));
        for (; j + 4 <= p.size && n + 4 <= blocked; j += 4, n += 4) {
          for (Index q = 0; q < 4; ++q) add(j + q, static_cast<std::size_t>(q));
        }
        for (; j < p.size; ++j, ++n) add(j, n < blocked ? static_cast<std::size_t>(n % 4) : 0);
      }
      const double total = (partial[0] + partial[1]) + (partial[2] + partial[3]);
      reducer.finish(Reducer::norm == Norm::L1 ? total : std::sqrt(total), d);
      for (const auto& p : pieces) {
        for (Index j = 0; j < p.size; ++j) {
          const Index c = p.offset + j;
          const double xj = p.x[j];
          p.x[j] = static_cast<Real>(xj - map_range<barrier + 1, size>(c, reducer.emit(c, xj), xj));
        }
      }
    }
  }

  // Is every state vector finite?
  bool finite() const {
    return std::apply(
        [](const auto&... t) {
          return (true && ... && [&t] {
            if constexpr (requires { t.finite(); }) {
              return t.finite();
            } else {
              return true;
            }
          }());
        },
        parts_);
  }

  template <std::size_t I>
  auto& get() {
    return std::get<I>(parts_);
  }
  template <std::size_t I>
  const auto& get() const {
    return std::get<I>(parts_);
  }

 private:
  template <std::size_t Begin, std::size_t End>
  double map_range(Index i, double v, double xi) {
    if constexpr (Begin >= End) {
      return v;
    } else {
      return map_range<Begin + 1, End>(i, std::get<Begin>(parts_).map(i, v, xi), xi);
    }
  }

  std::tuple<Ts...> parts_;
};

}  // namespace signopt::optim
