#pragma once
// A Problem whose value and gradient come from a Python callable (the slow path: every
// evaluation takes the GIL and crosses into Python; bench/README.md has its cost per call).
//
//   f(x) -> (value, gradient)                      n_samples = 0: f is not a finite sum
//   f(x, batch) -> (value, gradient)               n_samples = n: batch is None for the whole
//                                                  f = (1/n) Σ f_i, else an int64 array of
//                                                  sample indices S for (1/|S|) Σ_{i∈S} f_i
//
// x is handed to f as a read-only float64 view of signopt's own vector, valid during the call
// only (no copy); the gradient f returns is copied once into signopt's vector. Calls from the
// runner's threads take the GIL in turn, so a callable study gains nothing from threads.
#include <pybind11/pybind11.h>

#include <optional>
#include <string>

#include "signopt/problems/problem.hpp"

namespace signopt::python {

namespace py = pybind11;

class PythonObjective final : public Problem {
 public:
  PythonObjective(py::object f, Index dim, Index n_samples, std::optional<Vector> start,
                  std::optional<double> lower_bound, std::string name);
  ~PythonObjective() override;

  std::string name() const override { return name_; }
  Index dim() const override { return dim_; }
  Index num_samples() const override { return n_samples_; }

  double value(const Vector& x) const override;
  void gradient(const Vector& x, Vector& grad) const override;
  double value_and_gradient(const Vector& x, Vector& grad) const override;
  // Returns the callable's value on the batch (its data loss: a callable has no separate
  // regulariser).
  double minibatch_gradient(const Vector& x, std::span<const Index> samples,
                            Vector& grad) const override;
  Vector initial_point(Rng& rng) const override;
  std::optional<double> lower_bound() const override { return lower_bound_; }

  // Number of calls of f so far (all threads).
  long long calls() const { return calls_.load(); }

 private:
  double call(const Vector& x, const py::object& batch, Vector* grad) const;

  py::object f_;
  Index dim_, n_samples_;
  std::optional<Vector> start_;
  std::optional<double> lower_bound_;
  std::string name_;
  mutable std::atomic<long long> calls_{0};
};

}  // namespace signopt::python
