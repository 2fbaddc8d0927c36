#include "signopt/experiment/problem_factory.hpp"

#include <fmt/format.h>

#include <numeric>

#include "signopt/core/error.hpp"
#include "signopt/data/idx_reader.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "signopt/problems/cosh_sum.hpp"
#include "signopt/problems/double_well.hpp"
#include "signopt/problems/logistic_regression.hpp"
#include "signopt/problems/mlp.hpp"
#include "signopt/problems/softmax_regression.hpp"
#include "signopt/problems/quadratic.hpp"
#include "signopt/problems/quartic.hpp"

namespace signopt::experiment {
namespace {

Dataset first_rows(const Dataset& data, Index limit) {
  if (limit >= data.rows()) return data;
  std::vector<Index> rows(static_cast<std::size_t>(limit));
  std::iota(rows.begin(), rows.end(), Index{0});
  return data.select_rows(rows);
}

// Train and test sets: Fashion-MNIST comes split; a LIBSVM file is split with the seed.
void load_data(const ProblemConfig& c, BuiltProblem& out) {
  Dataset train, test;
  bool has_test = false;
  if (c.data == "fashion-mnist") {
    train = read_fashion_mnist("train");
    if (c.test_fraction > 0) {
      test = read_fashion_mnist("test");
      has_test = true;
    }
  } else {
    LibsvmOptions options;
    options.num_features = c.features;
    Dataset all = read_libsvm(c.data, options);
    if (c.test_fraction > 0) {
      auto split = train_test_split(all, c.test_fraction, c.split_seed);
      train = std::move(split.train);
      test = std::move(split.test);
      has_test = true;
    } else {
      train = std::move(all);
    }
  }
  if (c.train_limit) train = first_rows(train, *c.train_limit);
  if (c.standardize) standardize(train, has_test ? &test : nullptr);
  out.train = std::make_shared<const Dataset>(std::move(train));
  if (has_test) out.test = std::make_shared<const Dataset>(std::move(test));
}

}  // namespace

BuiltProblem build_problem(const ProblemConfig& c) {
  BuiltProblem out;
  if (c.type == "logistic-regression") {
    load_data(c, out);
    if (c.intercept) {
      // The constant feature comes last, after any standardisation (which leaves it alone).
      out.train = std::make_shared<const Dataset>(with_constant_feature(*out.train));
      if (out.test) out.test = std::make_shared<const Dataset>(with_constant_feature(*out.test));
    }
    out.problem = std::make_shared<LogisticRegression>(out.train, c.lambda, out.test, c.intercept);
    out.description = fmt::format(
        "L2 logistic regression (λ = {}{}) on {}: {} training rows{}, d = {}", c.lambda,
        c.intercept ? ", with an unregularised intercept" : ", no intercept", c.data, out.train->rows(),
        out.test ? fmt::format(", {} test rows", out.test->rows()) : "", out.train->cols());
  } else if (c.type == "quadratic") {
    Vector eig(c.dim);
    if (!c.eigenvalues.empty()) {
      eig = Eigen::Map<const Vector>(c.eigenvalues.data(), static_cast<Index>(c.eigenvalues.size()));
    } else {
      eig = c.dim == 1 ? Vector(Vector::Ones(1)) : Vector(Vector::LinSpaced(c.dim, 1.0, c.condition));
    }
    out.problem = std::make_shared<Quadratic>(Quadratic::diagonal(eig, {}, Vector()));
    out.description = fmt::format("quadratic ½xᵀAx, d = {}, eigenvalues in [{}, {}]", c.dim,
                                  eig.minCoeff(), eig.maxCoeff());
  } else if (c.type == "quartic") {
    out.problem = std::make_shared<Quartic>(c.dim, Vector());
    out.description = fmt::format("quartic ‖x‖⁴, d = {}", c.dim);
  } else if (c.type == "double-well") {
    out.problem = std::make_shared<DoubleWell>(c.dim, Vector());
    out.description = fmt::format("double well Σ(x_i² − 1)²/4, d = {}", c.dim);
  } else if (c.type == "cosh-sum") {
    // eigenvalues = the weights a_i (the Hessian at the minimiser); default all 1.
    require(c.eigenvalues.empty() || static_cast<Index>(c.eigenvalues.size()) == c.dim,
            "problem.eigenvalues: cosh-sum needs dim = {} weights, got {}", c.dim, c.eigenvalues.size());
    const Vector a = c.eigenvalues.empty()
                         ? Vector(Vector::Ones(c.dim))
                         : Vector(Eigen::Map<const Vector>(c.eigenvalues.data(), c.dim));
    out.problem = std::make_shared<CoshSum>(a, Vector());
    out.description = fmt::format("cosh sum Σ a_i (cosh x_i − 1), d = {}, a_i in [{}, {}]", c.dim,
                                  a.minCoeff(), a.maxCoeff());
  } else if (c.type == "softmax") {
    load_data(c, out);
    SoftmaxRegressionOptions options;
    options.l2 = c.lambda;
    options.intercept = c.intercept;
    if (!c.precision.empty()) options.precision = precision_from_string(c.precision);
    out.problem = std::make_shared<SoftmaxRegression>(out.train, out.test, options);
    out.description = fmt::format(
        "softmax regression (λ = {}{}) on {}: {} training rows, {} classes, d = {}", c.lambda,
        c.intercept ? ", per-class biases unregularised" : ", per-class biases regularised with the weights",
        c.data, out.train->rows(), out.train->num_classes, out.problem->dim());
  } else if (c.type == "mlp") {
    load_data(c, out);
    MlpOptions options;
    options.hidden = c.hidden.empty() ? std::vector<Index>{256} : c.hidden;
    options.activation = activation_from_string(c.activation);
    options.l2 = c.lambda;
    if (!c.precision.empty()) options.precision = precision_from_string(c.precision);
    out.problem = std::make_shared<Mlp>(out.train, out.test, options);
    std::string widths = std::to_string(out.train->cols());
    // Appended piecewise: GCC 12 reports a false -Wrestrict on `"-" + std::to_string(...)`.
    for (Index h : options.hidden) {
      widths += '-';
      widths += std::to_string(h);
    }
    widths += '-';
    widths += std::to_string(out.train->num_classes);
    out.description = fmt::format("MLP {} ({}, λ = {}) on {}: {} training rows, d = {}", widths,
                                  c.activation, c.lambda, c.data, out.train->rows(), out.problem->dim());
  } else {
    fail("unknown problem type '{}'", c.type);
  }
  return out;
}

}  // namespace signopt::experiment
