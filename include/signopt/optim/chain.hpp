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
    std::apply([k](auto&... t) { (t.begin_step(k), ...); }, parts_);
    if constexpr (single_pass) {
      for (Index i = 0; i < d; ++i) x[i] -= map_range<0, size>(i, g[i], x[i]);
    } else {
      auto& reducer = std::get<barrier>(parts_);
      using Reducer = std::remove_reference_t<decltype(reducer)>;
      std::array<double, 4> partial{0.0, 0.0, 0.0, 0.0};
      auto contribution = [](double u) {
        if constexpr (Reducer::norm == Norm::L1) {
          return std::abs(u);
        } else {
          return u * u;
        }
      };
      Index i = 0;
      for (; i + 4 <= d; i += 4) {
        for (Index j = 0; j < 4; ++j) {
          const Index c = i + j;
          partial[static_cast<std::size_t>(j)] +=
              contribution(reducer.prepare(c, map_range<0, barrier>(c, g[c], x[c]), x[c]));
        }
      }
      for (; i < d; ++i) {
        partial[0] += contribution(reducer.prepare(i, map_range<0, barrier>(i, g[i], x[i]), x[i]));
      }
      const double total = (partial[0] + partial[1]) + (partial[2] + partial[3]);
      reducer.finish(Reducer::norm == Norm::L1 ? total : std::sqrt(total), d);
      for (Index c = 0; c < d; ++c) {
        x[c] -= map_range<barrier + 1, size>(c, reducer.emit(c, x[c]), x[c]);
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
