#include "signopt/problems/logistic_regression.hpp"

#include <cmath>
#include <cstring>

#include "signopt/core/error.hpp"

// The vector-extension helpers below are internal (anonymous namespace, inlined): the ABI
// note GCC emits for vector arguments when AVX is not enabled (sanitizer builds drop
// -march=native) concerns no interface.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace signopt {
namespace {

using ColSparse = Eigen::SparseMatrix<double, Eigen::ColMajor, std::int64_t>;

// Transcendental functions are applied to whole buffers whose length is padded to a multiple
// of kPacket, so every entry goes through Eigen's vectorised code path and never through a
// scalar remainder loop. Sums run in a fixed order (entries of a row or column in storage
// order) with the same operations for every point. Hence a point's result does not depend on
// how many points are evaluated together (see the header).
constexpr Index kPacket = 16;
Index padded(Index size) { return (size + kPacket - 1) / kPacket * kPacket; }

// out[k] = Σ_p val[p] · src[idx[p]·m + k] for the points k ∈ [k0, k0 + W), summed in order of
// p. W is a compile-time width so the accumulators stay in registers.
// Unit = every value is 1 (one-hot data such as Mushrooms): the product v·s = s is exact, so
// skipping it changes no bit.
template <Index W, bool Unit>
inline void gather_block(const std::int64_t* idx, const double* val, std::int64_t count,
                         const double* src, Index m, Index k0, double* out) {
  double acc[W] = {};
  for (std::int64_t p = 0; p < count; ++p) {
    const double* s = src + idx[p] * m + k0;
    if constexpr (Unit) {
      for (Index q = 0; q < W; ++q) acc[q] += s[q];
    } else {
      const double v = val[p];
      for (Index q = 0; q < W; ++q) acc[q] += v * s[q];
    }
  }
  for (Index q = 0; q < W; ++q) out[q] = acc[q];
}

// Blocks of 8 and 4 points with explicit vector types (GCC/Clang vector extensions): lane-wise
// IEEE adds and multiplies, exactly the operations of the scalar block above, kept in one
// register.
// (Plain typedefs: GCC drops a vector_size attribute on a dependent alias template.)
typedef double Vec8 __attribute__((vector_size(64)));
typedef double Vec4 __attribute__((vector_size(32)));
static_assert(sizeof(Vec8) == 8 * sizeof(double) && sizeof(Vec4) == 4 * sizeof(double));

template <typename VecN, bool Unit>
inline void gather_vector_block(const std::int64_t* idx, const double* val, std::int64_t count,
                                const double* src, Index m, Index k0, double* out) {
  VecN acc = {};
  for (std::int64_t p = 0; p < count; ++p) {
    VecN s;
    std::memcpy(&s, src + idx[p] * m + k0, sizeof s);
    if constexpr (Unit) {
      acc += s;
    } else {
      acc += val[p] * s;
    }
  }
  std::memcpy(out, &acc, sizeof acc);
}

// The same for every point k ∈ [0, m): blocks of 8, one of 4, then single points (each point
// sums in order of p whatever block it falls in).
template <bool Unit>
inline void gather_all(const std::int64_t* idx, const double* val, std::int64_t count,
                       const double* src, Index m, double* out) {
  Index k0 = 0;
  for (; k0 + 8 <= m; k0 += 8) gather_vector_block<Vec8, Unit>(idx, val, count, src, m, k0, out + k0);
  if (k0 + 4 <= m) {
    gather_vector_block<Vec4, Unit>(idx, val, count, src, m, k0, out + k0);
    k0 += 4;
  }
  for (; k0 < m; ++k0) gather_block<1, Unit>(idx, val, count, src, m, k0, out + k0);
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

// dst[k] += v·src[k] (or += src[k] for unit values) for k ∈ [0, m), in blocks of 8 and 4 with
// explicit vector types and a scalar tail: the same IEEE operation for every k.
template <bool Unit>
inline void add_scaled(double* __restrict dst, const double* __restrict src, double v, Index m) {
  Index k = 0;
  auto step = [&](auto vec) {
    using V = decltype(vec);
    V a, b;
    std::memcpy(&a, dst + k, sizeof a);
    std::memcpy(&b, src + k, sizeof b);
    if constexpr (Unit) {
      a += b;
    } else {
      a += v * b;
    }
    std::memcpy(dst + k, &a, sizeof a);
    k += static_cast<Index>(sizeof(V) / sizeof(double));
  };
  while (k + 8 <= m) step(Vec8{});
  if (k + 4 <= m) step(Vec4{});
  for (; k < m; ++k) {
    if constexpr (Unit) {
      dst[k] += src[k];
    } else {
      dst[k] += v * src[k];
    }
  }
}

struct KernelOutput {
  Eigen::ArrayXd loss_sum;  // Σ_i log(1 + e^{−y_i a_iᵀw}) per point
  Eigen::ArrayXd correct;   // rows with sign(a_iᵀw) = y_i per point (sign(0) = +1)
  RowMatrix grad_sum;       // Σ_i −y_i σ(−y_i a_iᵀw) a_i, d × m (only when asked)
};

// Per-thread scratch that only grows. A pass uses the first `size` entries of each buffer
// through maps (aligned: Eigen allocates with its maximal alignment, and `size` is a multiple of
// kPacket), so alternating between data sets of different sizes never reallocates.
struct Scratch {
  Eigen::ArrayXd t_buf, e_buf, u_buf, loss_buf, coef_buf;
  using Map = Eigen::Map<Eigen::ArrayXd, Eigen::AlignedMax>;
  Map t{nullptr, 0}, e{nullptr, 0}, u{nullptr, 0}, loss{nullptr, 0}, coef{nullptr, 0};
  void reserve(Index size) {
    if (t_buf.size() < size) {
      for (Eigen::ArrayXd* b : {&t_buf, &e_buf, &u_buf, &loss_buf, &coef_buf}) b->resize(size);
    }
    new (&t) Map(t_buf.data(), size);
    new (&e) Map(e_buf.data(), size);
    new (&u) Map(u_buf.data(), size);
    new (&loss) Map(loss_buf.data(), size);
    new (&coef) Map(coef_buf.data(), size);
  }
};

// One pass over the rows `rows` (all rows when null) of `a` for the points W (d × m,
// row-major: a feature's values for all points are contiguous).
//  1. t_i = −y_i a_iᵀw (margins, gathered along rows), so the loss term is log(1 + e^{t_i});
//  2. vectorised over the whole buffer: e = e^{−|t|}, u = 1 + e, r = 1/u;
//  3. per row, in order: log(1 + e^t) = max(t, 0) + log1p(e) with log1p(e) = log(u) − c,
//     c = ((u − 1) − e)/u restoring what rounding u lost (exact to a few ulps, and = e when u
//     rounds to 1). Σ_i log(u_i) is taken as the logarithm of products of kLogBlock rows
//     (u ∈ [1, 2]: a product of 64 stays below 2^64), one logarithm per 64 rows instead of
//     one per row. The gradient coefficient is −y_i σ(t_i), σ(t) = r for t ≥ 0 and e·r below;
//  4. the gradient Aᵀc gathered along columns (one point) or scattered along rows (many).
constexpr Index kLogBlock = 64;

template <bool Unit>
KernelOutput logistic_pass(const SparseMatrix& a, const ColSparse* a_cols,
                           const Eigen::VectorXi& labels, const RowMatrix& w,
                           std::span<const Index> rows, bool all_rows, bool want_gradient) {
  const Index m = w.cols();
  const Index d = w.rows();
  const Index count = all_rows ? a.rows() : static_cast<Index>(rows.size());
  auto row_of = [&](Index r) { return all_rows ? r : rows[static_cast<std::size_t>(r)]; };
  const auto* outer = a.outerIndexPtr();
  const auto* inner = a.innerIndexPtr();
  const double* vals = a.valuePtr();

  // Fresh multi-megabyte allocations would cost page faults on every call (they dominated the
  // first profile), hence the per-thread scratch.
  thread_local Scratch s;
  s.reserve(padded(count * m));

  KernelOutput out;
  out.loss_sum = Eigen::ArrayXd::Zero(m);
  out.correct = Eigen::ArrayXd::Zero(m);
  s.t.setZero();
  for (Index r = 0; r < count; ++r) {
    const Index i = row_of(r);
    double* tr = s.t.data() + r * m;
    gather_all<Unit>(inner + outer[i], vals + outer[i], outer[i + 1] - outer[i], w.data(), m, tr);
    const double minus_y = -static_cast<double>(labels[i]);
    for (Index k = 0; k < m; ++k) tr[k] *= minus_y;
  }

  s.e = (-s.t.abs()).exp();
  s.u = 1.0 + s.e;
  s.loss = 1.0 / s.u;  // r

  Eigen::ArrayXd linear = Eigen::ArrayXd::Zero(m);
  Eigen::ArrayXd logs = Eigen::ArrayXd::Zero(m);
  // Padded and evaluated whole: every lane takes the vectorised logarithm.
  Eigen::ArrayXd product = Eigen::ArrayXd::Ones(padded(m)), log_product(padded(m));
  for (Index r = 0; r < count; ++r) {
    const double* __restrict tr = s.t.data() + r * m;
    const double* __restrict er = s.e.data() + r * m;
    const double* __restrict ur = s.u.data() + r * m;
    const double* __restrict rr = s.loss.data() + r * m;
    double* __restrict pr = product.data();
    double* __restrict lin = linear.data();
    for_each_block(m, [&](auto tag, Index k) {
      using V = decltype(tag);
      const V t = load<V>(tr + k), e = load<V>(er + k), u = load<V>(ur + k), rc = load<V>(rr + k);
      store(lin + k, load<V>(lin + k) + ((t > 0.0 ? t : V{} * 0.0) - ((u - 1.0) - e) * rc));
      store(pr + k, load<V>(pr + k) * u);
    });
    if ((r + 1) % kLogBlock == 0 || r + 1 == count) {
      log_product = product.log();
      logs += log_product.head(m);
      product.setOnes();
    }
    if (want_gradient) {
      const double minus_y = -static_cast<double>(labels[row_of(r)]);
      double* __restrict cr = s.coef.data() + r * m;
      // σ(t) = r for t ≥ 0 (as 1·r, exact) and e·r below; a lane-wise select, no branch.
      for_each_block(m, [&](auto tag, Index k) {
        using V = decltype(tag);
        const V t = load<V>(tr + k), e = load<V>(er + k), one = V{} + 1.0;
        store(cr + k, minus_y * ((t >= 0.0 ? one : e) * load<V>(rr + k)));
      });
    } else {
      // Test accuracy: sign(a·w) = y with sign(0) = +1, i.e. t = −y a·w ≤ 0 for y = +1 and
      // t < 0 for y = −1.
      const bool positive = labels[row_of(r)] > 0;
      double* __restrict cor = out.correct.data();
      for_each_block(m, [&](auto tag, Index k) {
        using V = decltype(tag);
        const V t = load<V>(tr + k), one = V{} + 1.0, zero = V{} * 0.0;
        store(cor + k, load<V>(cor + k) + (positive ? (t <= 0.0 ? one : zero) : (t < 0.0 ? one : zero)));
      });
    }
  }
  out.loss_sum = linear + logs;
  if (!want_gradient) return out;

  out.grad_sum.resize(d, m);
  // Gather along columns for one point (sums stay in registers); scatter along rows for many
  // (the gradient block stays in L1 while the coefficients stream once). Both add the terms of
  // each gradient entry in increasing row order starting from 0, so they agree bit for bit.
  if (all_rows && a_cols != nullptr && m == 1) {
    const auto* col_outer = a_cols->outerIndexPtr();
    const auto* col_inner = a_cols->innerIndexPtr();
    const double* col_vals = a_cols->valuePtr();
    for (Index j = 0; j < d; ++j) {
      gather_all<Unit>(col_inner + col_outer[j], col_vals + col_outer[j], col_outer[j + 1] - col_outer[j],
                 s.coef.data(), m, out.grad_sum.data() + j * m);
    }
  } else {
    out.grad_sum.setZero();
    for (Index r = 0; r < count; ++r) {
      const Index i = row_of(r);
      const double* cr = s.coef.data() + r * m;
      for (auto p = outer[i]; p < outer[i + 1]; ++p) {
        add_scaled<Unit>(out.grad_sum.data() + inner[p] * m, cr, vals[p], m);
      }
    }
  }
  return out;
}

KernelOutput logistic_pass(const SparseMatrix& a, bool unit, const ColSparse* a_cols,
                           const Eigen::VectorXi& labels, const RowMatrix& w,
                           std::span<const Index> rows, bool all_rows, bool want_gradient) {
  return unit ? logistic_pass<true>(a, a_cols, labels, w, rows, all_rows, want_gradient)
              : logistic_pass<false>(a, a_cols, labels, w, rows, all_rows, want_gradient);
}

bool all_values_one(const SparseMatrix& a) {
  return (Eigen::Map<const Eigen::ArrayXd>(a.valuePtr(), a.nonZeros()) == 1.0).all();
}

SparseMatrix as_sparse(const Dataset& data) {
  if (data.is_sparse()) return data.sparse();
  return data.dense().sparseView();
}

}  // namespace

LogisticRegression::LogisticRegression(std::shared_ptr<const Dataset> train, double lambda,
                                       std::shared_ptr<const Dataset> test)
    : train_(std::move(train)), test_(std::move(test)), lambda_(lambda) {
  require(train_ != nullptr && train_->rows() > 0, "logistic regression needs training data");
  require(train_->label_kind == LabelKind::Binary,
          "logistic regression needs binary labels, but {} has {} classes", train_->source,
          train_->num_classes);
  require(std::isfinite(lambda) && lambda >= 0, "lambda must be finite and ≥ 0, got {}", lambda);
  d_ = train_->cols();
  if (test_ != nullptr) {
    require(test_->cols() == d_, "test set has {} features, training set {}", test_->cols(), d_);
    require(test_->label_kind == LabelKind::Binary, "test set labels must be binary");
    test_rows_ = as_sparse(*test_);
    test_rows_.makeCompressed();
    test_unit_ = all_values_one(test_rows_);
  }
  train_rows_ = as_sparse(*train_);
  train_rows_.makeCompressed();
  train_cols_ = train_rows_;
  train_cols_.makeCompressed();
  train_unit_ = all_values_one(train_rows_);
  r_ = train_->max_row_norm();
}

double LogisticRegression::value(const Vector& w) const {
  const auto out = logistic_pass(train_rows_, train_unit_, nullptr, train_->labels, RowMatrix(w), {}, true, false);
  return out.loss_sum[0] / static_cast<double>(train_->rows()) + 0.5 * lambda_ * w.squaredNorm();
}

void LogisticRegression::gradient(const Vector& w, Vector& grad) const {
  (void)value_and_gradient(w, grad);
}

double LogisticRegression::value_and_gradient(const Vector& w, Vector& grad) const {
  const auto out =
      logistic_pass(train_rows_, train_unit_, &train_cols_, train_->labels, RowMatrix(w), {}, true, true);
  const double inv_n = 1.0 / static_cast<double>(train_->rows());
  grad = out.grad_sum.col(0) * inv_n + lambda_ * w;
  return out.loss_sum[0] * inv_n + 0.5 * lambda_ * w.squaredNorm();
}

void LogisticRegression::value_and_gradient_many(const Matrix& points, Vector& values,
                                                 Matrix& grads) const {
  require(points.rows() == d_, "points have dimension {}, the problem {}", points.rows(), d_);
  const Index m = points.cols();
  const auto out =
      logistic_pass(train_rows_, train_unit_, &train_cols_, train_->labels, RowMatrix(points), {}, true, true);
  const double inv_n = 1.0 / static_cast<double>(train_->rows());
  values.resize(m);
  grads.resize(d_, m);
  for (Index j = 0; j < m; ++j) {
    grads.col(j) = out.grad_sum.col(j) * inv_n + lambda_ * points.col(j);
    values[j] = out.loss_sum[j] * inv_n + 0.5 * lambda_ * points.col(j).squaredNorm();
  }
}

void LogisticRegression::minibatch_gradient(const Vector& w, std::span<const Index> samples,
                                            Vector& grad) const {
  require(!samples.empty(), "minibatch is empty");
  for (Index i : samples) {
    require(i >= 0 && i < train_->rows(), "sample index {} is outside [0, {})", i, train_->rows());
  }
  const auto out =
      logistic_pass(train_rows_, train_unit_, nullptr, train_->labels, RowMatrix(w), samples, false, true);
  grad = out.grad_sum.col(0) / static_cast<double>(samples.size()) + lambda_ * w;
}

std::vector<Metric> LogisticRegression::test_metrics(const Vector& w) const {
  const Matrix points = w;
  auto many = test_metrics_many(points);
  return many.front();
}

std::vector<std::vector<Metric>> LogisticRegression::test_metrics_many(const Matrix& points) const {
  if (test_ == nullptr) return std::vector<std::vector<Metric>>(static_cast<std::size_t>(points.cols()));
  const auto out =
      logistic_pass(test_rows_, test_unit_, nullptr, test_->labels, RowMatrix(points), {}, true, false);
  const double inv_n = 1.0 / static_cast<double>(test_->rows());
  std::vector<std::vector<Metric>> result;
  for (Index j = 0; j < points.cols(); ++j) {
    result.push_back({{"test_loss", out.loss_sum[j] * inv_n}, {"test_accuracy", out.correct[j] * inv_n}});
  }
  return result;
}

std::optional<SmoothnessConstants> LogisticRegression::analytic_constants() const {
  return SmoothnessConstants{lambda_, r_ + lambda_, r_ * r_ + lambda_,
                             "seed constants: R = max‖a_i‖₂, L = R² + λ, L1 = R + λ, L0 = λ"};
}

}  // namespace signopt
