#include "signopt/problems/logistic_kernel.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <numeric>
#include <utility>

#include "signopt/core/error.hpp"
#include "signopt/core/exponential.hpp"
#include "signopt/problems/row_patterns.hpp"

// The vector-extension helpers below are internal (anonymous namespace, inlined): the ABI
// note GCC emits for vector arguments when AVX is not enabled (sanitizer builds drop
// -march=native) concerns no interface.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace signopt {
namespace {

// Blocks of 8 and 4 points with explicit vector types (GCC/Clang vector extensions): lane-wise
// IEEE adds and multiplies, exactly the operations on plain doubles, kept in one register.
// (Plain typedefs: GCC drops a vector_size attribute on a dependent alias template.)
typedef double Vec8 __attribute__((vector_size(64)));
typedef double Vec4 __attribute__((vector_size(32)));
static_assert(sizeof(Vec8) == 8 * sizeof(double) && sizeof(Vec4) == 4 * sizeof(double));

template <typename V>
inline V load(const double* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <typename V>
inline void store(double* p, const V& v) {
  std::memcpy(p, &v, sizeof v);
}

// Transcendental functions are applied to whole buffers whose length is padded to a multiple
// of kPacket, so every entry goes through Eigen's vectorised code path and never through a
// scalar remainder loop.
constexpr Index kPacket = 16;
Index padded(Index size) { return (size + kPacket - 1) / kPacket * kPacket; }

// Running sums for a chunk of W = 8·N8 + 4·N4 + N1 consecutive points: N8 registers of 8
// points, N4 of 4, N1 single points. add(s, v) adds v·s[k] to lane k, or s[k] when every value
// is 1 (Unit: v·s = s exactly, so skipping the product changes no bit).
template <int N8, int N4, int N1, bool Unit>
struct LaneSums {
  std::array<Vec8, N8> v8;
  std::array<Vec4, N4> v4;
  std::array<double, N1> v1;

  inline void zero() {
    for (int q = 0; q < N8; ++q) v8[q] = Vec8{};
    for (int q = 0; q < N4; ++q) v4[q] = Vec4{};
    for (int q = 0; q < N1; ++q) v1[q] = 0.0;
  }
  inline void load_from(const double* p) {
    for (int q = 0; q < N8; ++q) v8[q] = load<Vec8>(p + 8 * q);
    for (int q = 0; q < N4; ++q) v4[q] = load<Vec4>(p + 8 * N8 + 4 * q);
    for (int q = 0; q < N1; ++q) v1[q] = p[8 * N8 + 4 * N4 + q];
  }
  inline void add(const double* s, double v) {
    for (int q = 0; q < N8; ++q) {
      if constexpr (Unit) {
        v8[q] += load<Vec8>(s + 8 * q);
      } else {
        v8[q] += v * load<Vec8>(s + 8 * q);
      }
    }
    for (int q = 0; q < N4; ++q) {
      if constexpr (Unit) {
        v4[q] += load<Vec4>(s + 8 * N8 + 4 * q);
      } else {
        v4[q] += v * load<Vec4>(s + 8 * N8 + 4 * q);
      }
    }
    for (int q = 0; q < N1; ++q) {
      if constexpr (Unit) {
        v1[q] += s[8 * N8 + 4 * N4 + q];
      } else {
        v1[q] += v * s[8 * N8 + 4 * N4 + q];
      }
    }
  }
  inline void store_to(double* p) const {
    for (int q = 0; q < N8; ++q) store(p + 8 * q, v8[q]);
    for (int q = 0; q < N4; ++q) store(p + 8 * N8 + 4 * q, v4[q]);
    for (int q = 0; q < N1; ++q) p[8 * N8 + 4 * N4 + q] = v1[q];
  }
};

// Compressed sparse vectors: vector r has the entries [outer[r], outer[r + 1]) of inner
// (positions) and values.
struct SparseView {
  const std::int64_t* outer;
  const std::int64_t* inner;
  const double* values;
};

// Sparse products accumulated into rows of `out` (row-major, m per row):
//   out[t_r·m + k] += Σ_p val[p] · src[inner[p]·m + k]   over the entries p of vector i_r,
// for r ∈ [0, count), i_r = ids[r] (r when ids is null), t_r = targets[r] (r when null), and the
// chunk's points k ∈ [k0, k0 + W). Each sum starts from out's value (from +0 with `overwrite`,
// out then only written) and runs in order of p.
// R vectors and all the chunk's lanes advance in one loop: their sums are independent, so the
// additions overlap instead of each waiting for the previous one's latency. (No
// auto-vectorisation: it would turn the single-lane loops into slow in-order gathers.)
template <int R, int N8, int N4, int N1, bool Unit>
__attribute__((optimize("no-tree-vectorize"))) void gather_chunk(SparseView a, const Index* ids,
                                                                  Index count, const Index* targets,
                                                                  const double* src, Index m,
                                                                  Index k0, double* out,
                                                                  bool overwrite) {
  using Sums = LaneSums<N8, N4, N1, Unit>;
  auto id = [&](Index r) { return ids != nullptr ? ids[r] : r; };
  auto target = [&](Index r) { return out + (targets != nullptr ? targets[r] : r) * m + k0; };
  Index r = 0;
  for (; r + R <= count; r += R) {
    Sums acc[R];
    const std::int64_t* idx[R];
    const double* val[R];
    std::int64_t n[R];
    std::int64_t common = std::numeric_limits<std::int64_t>::max();
    for (int j = 0; j < R; ++j) {
      const Index i = id(r + j);
      idx[j] = a.inner + a.outer[i];
      val[j] = a.values + a.outer[i];
      n[j] = a.outer[i + 1] - a.outer[i];
      common = std::min(common, n[j]);
      if (overwrite) {
        acc[j].zero();
      } else {
        acc[j].load_from(target(r + j));
      }
    }
    for (std::int64_t p = 0; p < common; ++p) {
      for (int j = 0; j < R; ++j) acc[j].add(src + idx[j][p] * m + k0, val[j][p]);
    }
    for (int j = 0; j < R; ++j) {
      for (std::int64_t p = common; p < n[j]; ++p) acc[j].add(src + idx[j][p] * m + k0, val[j][p]);
      acc[j].store_to(target(r + j));
    }
  }
  for (; r < count; ++r) {
    const Index i = id(r);
    Sums acc;
    if (overwrite) {
      acc.zero();
    } else {
      acc.load_from(target(r));
    }
    for (auto p = a.outer[i]; p < a.outer[i + 1]; ++p) acc.add(src + a.inner[p] * m + k0, a.values[p]);
    acc.store_to(target(r));
  }
}

// gather_chunk for every chunk width W ∈ [1, kChunk], chosen at run time. Narrow chunks have
// few independent lanes, so they interleave more vectors.
constexpr int kChunk = 40;
using GatherFn = void (*)(SparseView, const Index*, Index, const Index*, const double*, Index, Index,
                          double*, bool);

template <bool Unit, std::size_t... I>
constexpr std::array<GatherFn, sizeof...(I)> gather_table(std::index_sequence<I...>) {
  return {&gather_chunk<(I + 1 <= 4 ? 4 : 2), static_cast<int>((I + 1) / 8),
                        static_cast<int>((I + 1) % 8 / 4), static_cast<int>((I + 1) % 4), Unit>...};
}

template <bool Unit>
void gather(SparseView a, const Index* ids, Index count, const Index* targets, const double* src,
            Index m, double* out, bool overwrite = false) {
  static constexpr auto table = gather_table<Unit>(std::make_index_sequence<kChunk>{});
  for (Index k0 = 0; k0 < m; k0 += kChunk) {
    const Index w = std::min<Index>(kChunk, m - k0);
    table[static_cast<std::size_t>(w - 1)](a, ids, count, targets, src, m, k0, out, overwrite);
  }
}

// Calls f(V{}, k) over k ∈ [0, m) in blocks: V = Vec8 while 8 remain, then one Vec4, then
// double one at a time. Lane-wise vector operations are the scalar IEEE operations, so each k
// gets the same result whichever block it falls in.
template <typename F>
inline void for_each_block(Index m, F&& f) {
  Index k = 0;
  for (; k + 8 <= m; k += 8) f(Vec8{}, k);
  if (k + 4 <= m) {
    f(Vec4{}, k);
    k += 4;
  }
  for (; k < m; ++k) f(0.0, k);
}

// dst[k] += v·src[k] (or += src[k] for unit values) for k ∈ [0, m).
template <bool Unit>
inline void add_scaled(double* __restrict dst, const double* __restrict src, double v, Index m) {
  for_each_block(m, [&](auto tag, Index k) {
    using V = decltype(tag);
    if constexpr (Unit) {
      store(dst + k, load<V>(dst + k) + load<V>(src + k));
    } else {
      store(dst + k, load<V>(dst + k) + v * load<V>(src + k));
    }
  });
}

// Per-thread scratch for one block (kRowBlock rows × m points), grown when m grows.
struct Scratch {
  Eigen::ArrayXd t_buf, e_buf, coef_buf;
  using Map = Eigen::Map<Eigen::ArrayXd, Eigen::AlignedMax>;
  void reserve(Index size) {
    if (t_buf.size() < size) {
      for (Eigen::ArrayXd* b : {&t_buf, &e_buf, &coef_buf}) b->resize(size);
    }
  }
  Map map(Eigen::ArrayXd& b, Index size) { return Map(b.data(), size); }
};

// One pass in blocks of kRowBlock rows. Per block:
//  1. the margins a_iᵀw, gathered along rows; the loss term is log(1 + e^{t_i}), t_i = −y_i a_iᵀw;
//  2. vectorised over the block: e = e^{−|t|} (|t_i| = |a_iᵀw|, so before applying the label);
//  3. per row, in order, lane-wise: u = 1 + e, r = 1/u, and log(1 + e^t) = max(t, 0) + log1p(e)
//     with log1p(e) = log(u) − c, c = ((u − 1) − e)/u restoring what rounding u lost (exact to
//     a few ulps, and = e when u rounds to 1). Σ_i log(u_i) is taken as the logarithm of the
//     product of the block's u (u ∈ [1, 2]: a product of 64 stays below 2^64), one logarithm
//     per 64 rows instead of one per row. The gradient coefficient is −y_i σ(t_i), σ(t) = r for
//     t ≥ 0 and e·r below (or, without a gradient, the accuracy count);
//  4. the gradient Aᵀc of the block added, gathered along the block's columns (all rows) or
//     scattered along its rows (a row list).
// The sums of one stripe: the rows at positions [r_begin, r_end) (multiples of kRowBlock but
// the last) of the pass.
struct StripeSums {
  Eigen::ArrayXd linear, logs, correct;
  RowMatrix gradient;
};

using Design = LogisticKernelData::Design;

template <bool Unit>
void pass_stripe(const Design& design, const RowMatrix& w,
                 std::span<const Index> rows, bool want_gradient, bool count_correct, Index r_begin,
                 Index r_end, StripeSums& out) {
  constexpr Index B = LogisticKernelData::kRowBlock;
  const Index m = w.cols();
  const Index d = w.rows();
  const bool all_rows = rows.empty();
  const SparseMatrix& a = design.rows;
  const Eigen::VectorXi& labels = design.labels;
  const SparseView row_view{a.outerIndexPtr(), a.innerIndexPtr(), a.valuePtr()};
  const auto& columns = design.blocks;

  // Fresh allocations would cost page faults on every call, hence the per-thread scratch.
  thread_local Scratch s;
  s.reserve(padded(B * m));

  Eigen::ArrayXd& linear = out.linear;
  Eigen::ArrayXd& logs = out.logs;
  linear = Eigen::ArrayXd::Zero(m);
  logs = Eigen::ArrayXd::Zero(m);
  // Padded and evaluated whole: every lane takes the vectorised logarithm.
  Eigen::ArrayXd product(padded(m)), log_product(padded(m));
  out.correct = Eigen::ArrayXd::Zero(m);
  if (want_gradient) out.gradient = RowMatrix::Zero(d, m);

  for (Index r0 = r_begin; r0 < r_end; r0 += B) {
    const Index nb = std::min(B, r_end - r0);
    const Index size = padded(nb * m);
    auto t = s.map(s.t_buf, size);
    auto e = s.map(s.e_buf, size);
    auto coef = s.map(s.coef_buf, size);
    const Index* ids = all_rows ? nullptr : rows.data() + r0;
    auto row_of = [&](Index r) { return all_rows ? r0 + r : rows[static_cast<std::size_t>(r0 + r)]; };

    t.tail(size - nb * m).setZero();  // the padding
    const SparseView block_rows{all_rows ? row_view.outer + r0 : row_view.outer, row_view.inner,
                                row_view.values};
    gather<Unit>(block_rows, ids, nb, nullptr, w.data(), m, t.data(), true);  // a_iᵀw; t_i = −y_i·that
    e = -t.abs();  // |t_i| = |a_iᵀw|
    exponentials(std::span<const double>(e.data(), size), std::span<double>(e.data(), size));

    // Per row, lane-wise: the loss terms, the product of u, and the gradient coefficients
    // −y σ(t) with σ(t) = r for t ≥ 0 (as 1·r, exact) and e·r below (a select, no branch), and
    // the accuracy count: sign(a·w) = y with sign(0) = +1, i.e. t ≤ 0 for y = +1 and t < 0 for
    // y = −1.
    product.setOnes();
    double* __restrict pr = product.data();
    double* __restrict lin = linear.data();
    double* __restrict cor = out.correct.data();
    for (Index r = 0; r < nb; ++r) {
      const double minus_y = -static_cast<double>(labels[row_of(r)]);
      const bool positive = minus_y < 0;
      const double* __restrict ar = t.data() + r * m;
      const double* __restrict er = e.data() + r * m;
      double* __restrict cr = coef.data() + r * m;
      for_each_block(m, [&](auto tag, Index k) {
        using V = decltype(tag);
        const V one = V{} + 1.0, zero = V{} * 0.0;
        const V tv = minus_y * load<V>(ar + k), ev = load<V>(er + k);
        const V uv = 1.0 + ev;
        const V rv = 1.0 / uv;
        store(lin + k, load<V>(lin + k) + ((tv > 0.0 ? tv : zero) - ((uv - 1.0) - ev) * rv));
        store(pr + k, load<V>(pr + k) * uv);
        if (want_gradient) store(cr + k, minus_y * ((tv >= 0.0 ? one : ev) * rv));
        if (count_correct) {
          store(cor + k, load<V>(cor + k) + (positive ? (tv <= 0.0 ? one : zero) : (tv < 0.0 ? one : zero)));
        }
      });
    }
    log_product = product.log();
    logs += log_product.head(m);
    if (!want_gradient) continue;

    if (all_rows) {
      const Index b = r0 / B;
      const auto s0 = columns.segment_begin[static_cast<std::size_t>(b)];
      const auto s1 = columns.segment_begin[static_cast<std::size_t>(b) + 1];
      const SparseView block_cols{columns.segment_offset.data() + s0, columns.local_row.data(),
                                  columns.value.data()};
      gather<Unit>(block_cols, nullptr, s1 - s0, columns.segment_column.data() + s0, coef.data(), m,
                   out.gradient.data());
    } else {
      const auto* outer = a.outerIndexPtr();
      const auto* inner = a.innerIndexPtr();
      const double* vals = a.valuePtr();
      for (Index r = 0; r < nb; ++r) {
        const Index i = row_of(r);
        for (auto p = outer[i]; p < outer[i + 1]; ++p) {
          add_scaled<Unit>(out.gradient.data() + inner[p] * m, coef.data() + r * m, vals[p], m);
        }
      }
    }
  }
}

// One pass of `design` (rows × dimension of w) at the points w.
template <bool Unit>
LogisticSums pass(const LogisticKernelData& data, const Design& design, const RowMatrix& w,
                  std::span<const Index> rows, bool want_gradient, bool count_correct, ThreadTeam* team) {
  constexpr Index B = LogisticKernelData::kRowBlock;
  const bool all_rows = rows.empty();
  const Index count = all_rows ? data.rows() : static_cast<Index>(rows.size());
  const Index blocks = (count + B - 1) / B;
  const Index stripes = all_rows ? data.stripes() : 1;
  std::vector<StripeSums> parts(static_cast<std::size_t>(stripes));
  auto run = [&](std::size_t p) {
    const auto s = static_cast<Index>(p);
    const Index r_begin = s * blocks / stripes * B;
    const Index r_end = std::min(count, (s + 1) * blocks / stripes * B);
    pass_stripe<Unit>(design, w, rows, want_gradient, count_correct, r_begin, r_end, parts[p]);
  };
  if (team != nullptr && stripes > 1) {
    team->for_each(parts.size(), run);
  } else {
    for (std::size_t p = 0; p < parts.size(); ++p) run(p);
  }
  // The stripes' sums, added in stripe order.
  LogisticSums out;
  Eigen::ArrayXd linear = std::move(parts[0].linear), logs = std::move(parts[0].logs);
  out.correct = std::move(parts[0].correct);
  out.gradient = std::move(parts[0].gradient);
  for (std::size_t p = 1; p < parts.size(); ++p) {
    linear += parts[p].linear;
    logs += parts[p].logs;
    out.correct += parts[p].correct;
    if (want_gradient) out.gradient += parts[p].gradient;
  }
  out.loss = linear + logs;
  return out;
}

}  // namespace

namespace {

// Each block's nonzeros by column (rows increasing within a column). The block's columns are
// listed longest first, so the columns that the gradient sums side by side have similar
// lengths; the order of columns changes no sum.
LogisticKernelData::BlockColumns block_columns(const SparseMatrix& rows) {
  constexpr Index B = LogisticKernelData::kRowBlock;
  const auto* outer = rows.outerIndexPtr();
  const auto* inner = rows.innerIndexPtr();
  const double* vals = rows.valuePtr();
  const Index n = rows.rows();
  LogisticKernelData::BlockColumns bc;
  bc.segment_begin.push_back(0);
  bc.segment_offset.push_back(0);
  struct Entry {
    Index column;
    std::int64_t local_row;
    double value;
  };
  std::vector<Entry> entries;
  std::vector<std::pair<std::size_t, std::size_t>> segments;  // [begin, end) in entries
  for (Index r0 = 0; r0 < n; r0 += B) {
    const Index r1 = std::min(n, r0 + B);
    entries.clear();
    for (Index r = r0; r < r1; ++r) {
      for (auto p = outer[r]; p < outer[r + 1]; ++p) entries.push_back({inner[p], r - r0, vals[p]});
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& x, const Entry& y) { return x.column < y.column; });
    segments.clear();
    for (std::size_t q = 0; q < entries.size(); ++q) {
      if (q == 0 || entries[q].column != entries[q - 1].column) segments.emplace_back(q, q);
      segments.back().second = q + 1;
    }
    std::stable_sort(segments.begin(), segments.end(), [](const auto& x, const auto& y) {
      return x.second - x.first > y.second - y.first;
    });
    for (const auto& [begin, end] : segments) {
      bc.segment_column.push_back(entries[begin].column);
      for (std::size_t q = begin; q < end; ++q) {
        bc.local_row.push_back(entries[q].local_row);
        bc.value.push_back(entries[q].value);
      }
      bc.segment_offset.push_back(static_cast<std::int64_t>(bc.local_row.size()));
    }
    bc.segment_begin.push_back(static_cast<std::int64_t>(bc.segment_column.size()));
  }
  return bc;
}

LogisticKernelData::Design make_design(SparseMatrix rows, Eigen::VectorXi labels) {
  rows.makeCompressed();
  LogisticKernelData::Design design;
  design.labels = std::move(labels);
  design.unit = (Eigen::Map<const Eigen::ArrayXd>(rows.valuePtr(), rows.nonZeros()) == 1.0).all();
  design.blocks = block_columns(rows);
  design.rows = std::move(rows);
  return design;
}

// out (rows of `a` × m) = a·src (a's columns × m), each row's sum in storage
// order.
template <bool Unit>
void sparse_product(const SparseMatrix& a, const RowMatrix& src, RowMatrix& out) {
  out.resize(a.rows(), src.cols());
  gather<Unit>(SparseView{a.outerIndexPtr(), a.innerIndexPtr(), a.valuePtr()}, nullptr, a.rows(),
               nullptr, src.data(), src.cols(), out.data(), true);
}

}  // namespace

LogisticKernelData::LogisticKernelData(SparseMatrix rows, Eigen::VectorXi labels, bool find_patterns) {
  require(labels.size() == rows.rows(), "{} labels for {} rows", labels.size(), rows.rows());
  // Wide data would need a large gradient per stripe: one stripe from 100 000 features on.
  const Index n = rows.rows();
  const Index blocks = (n + kRowBlock - 1) / kRowBlock;
  stripes_ = rows.cols() < 100000 ? std::clamp<Index>(blocks, 1, kMaxStripes) : 1;
  if (find_patterns) {
    if (std::optional<RowPatterns> f = find_row_patterns(rows)) {
      // P's rows in the order of their pattern lists (lexicographic; ties keep data order).
      const SparseMatrix& p = f->indicator;
      const auto* outer = p.outerIndexPtr();
      const auto* inner = p.innerIndexPtr();
      std::vector<Index> order(static_cast<std::size_t>(n));
      std::iota(order.begin(), order.end(), Index{0});
      std::stable_sort(order.begin(), order.end(), [&](Index x, Index y) {
        return std::lexicographical_compare(inner + outer[x], inner + outer[x + 1], inner + outer[y],
                                            inner + outer[y + 1]);
      });
      std::vector<std::int64_t> sorted_outer{0};
      std::vector<std::int64_t> sorted_inner;
      sorted_inner.reserve(static_cast<std::size_t>(p.nonZeros()));
      Eigen::VectorXi sorted_labels(n);
      factored_.emplace();
      factored_->position.resize(static_cast<std::size_t>(n));
      for (Index r = 0; r < n; ++r) {
        const Index i = order[static_cast<std::size_t>(r)];
        sorted_inner.insert(sorted_inner.end(), inner + outer[i], inner + outer[i + 1]);
        sorted_outer.push_back(static_cast<std::int64_t>(sorted_inner.size()));
        sorted_labels[r] = labels[i];
        factored_->position[static_cast<std::size_t>(i)] = r;
      }
      const std::vector<double> ones(sorted_inner.size(), 1.0);
      SparseMatrix sorted = Eigen::Map<const SparseMatrix>(n, p.cols(), p.nonZeros(), sorted_outer.data(),
                                                           sorted_inner.data(), ones.data());
      factored_->indicator = make_design(std::move(sorted), std::move(sorted_labels));
      factored_->patterns = std::move(f->patterns);
      factored_->patterns.makeCompressed();
      factored_->patterns_transposed = factored_->patterns.transpose();
      factored_->patterns_transposed.makeCompressed();
    }
  }
  direct_ = make_design(std::move(rows), std::move(labels));
}

bool LogisticKernelData::reads_factored(Index count) const {
  if (!factored_) return false;
  // Entries read per point: 2 per nonzero of the rows read (margins, gradient), 2 per nonzero
  // of E (E·w, Eᵀ·g), and the K-row gradient's zeroing and stripe sums.
  const double n = static_cast<double>(rows());
  const double per_row_direct = static_cast<double>(direct_.rows.nonZeros()) / n;
  const double per_row_factored = static_cast<double>(factored_->indicator.rows.nonZeros()) / n;
  const double fixed = 2.0 * static_cast<double>(patterns().nonZeros()) +
                       static_cast<double>(2 * kMaxStripes * patterns().rows());
  return 2.0 * static_cast<double>(count) * (per_row_direct - per_row_factored) > fixed;
}

LogisticSums logistic_sums(const LogisticKernelData& data, const RowMatrix& w,
                           std::span<const Index> rows, bool want_gradient, ThreadTeam* team,
                           bool count_correct) {
  // Without a gradient the pass always counts (the test metrics); with one only when asked (the
  // count costs about a seventh of a gradient pass).
  count_correct = count_correct || !want_gradient;
  require(w.rows() == data.cols(), "points have dimension {}, the data {}", w.rows(), data.cols());
  const Index count = rows.empty() ? data.rows() : static_cast<Index>(rows.size());
  if (!data.reads_factored(count)) {
    return data.unit_values() ? pass<true>(data, data.direct(), w, rows, want_gradient, count_correct, team)
                              : pass<false>(data, data.direct(), w, rows, want_gradient, count_correct, team);
  }
  // A·w = P·(E·w), Aᵀc = Eᵀ·(Pᵀc): the pass reads P with the patterns' values u = E·w.
  RowMatrix u;
  if (data.unit_values()) {
    sparse_product<true>(data.patterns(), w, u);
  } else {
    sparse_product<false>(data.patterns(), w, u);
  }
  std::vector<Index> positions;  // a row list in P's order
  positions.reserve(rows.size());
  for (Index i : rows) positions.push_back(data.position(i));
  LogisticSums sums = pass<true>(data, data.indicator(), u, positions, want_gradient, count_correct, team);
  if (want_gradient) {
    RowMatrix g;
    if (data.unit_values()) {
      sparse_product<true>(data.patterns_transposed(), sums.gradient, g);
    } else {
      sparse_product<false>(data.patterns_transposed(), sums.gradient, g);
    }
    sums.gradient = std::move(g);
  }
  return sums;
}

}  // namespace signopt
