// Problems: the built-in ones from a [problem] table (dict), and Python callables; value and
// gradient on numpy vectors.
#include <fmt/format.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "dataset_views.hpp"
#include "numpy_views.hpp"
#include "problem_handle.hpp"
#include "python_objective.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "toml_from_python.hpp"

namespace signopt::python {
namespace {

// The [problem] table parsed exactly as in a config file (a one-method study around it).
experiment::ProblemConfig problem_config(const py::dict& table) {
  py::dict study;
  study["problem"] = table;
  py::dict method;
  method["recipe"] = "sgd";
  py::list methods;
  methods.append(method);
  study["method"] = methods;
  return experiment::parse_config(toml_text_from_dict(study), "<problem dict>").problem;
}

ProblemHandle built_in(const py::dict& table) {
  const experiment::ProblemConfig config = problem_config(table);
  experiment::BuiltProblem built;
  {
    py::gil_scoped_release release;
    built = experiment::build_problem(config);
  }
  return ProblemHandle{built.problem, built.train, built.test, built.description, false, config};
}

py::object metrics_dict(const std::vector<Metric>& metrics) {
  py::dict d;
  for (const auto& m : metrics) d[py::str(m.name)] = m.value;
  return d;
}

// Releases the GIL for a built-in problem (a pass over the data); a callable takes it again.
template <typename F>
auto without_gil(const ProblemHandle& h, F&& f) {
  if (h.is_callable) return f();
  py::gil_scoped_release release;
  return f();
}

}  // namespace

void bind_problems(py::module_& m) {
  py::class_<ProblemHandle>(
      m, "Problem",
      "An objective f: a built-in problem (signopt.problem({...})) or a Python "
      "callable (signopt.objective(f, dim, ...)).")
      .def_property_readonly("name", [](const ProblemHandle& h) { return h.problem->name(); })
      .def_property_readonly("description", [](const ProblemHandle& h) { return h.description; })
      .def_property_readonly("dim", [](const ProblemHandle& h) { return h.problem->dim(); })
      .def_property_readonly(
          "n_samples", [](const ProblemHandle& h) { return h.problem->num_samples(); },
          "n of a finite sum f = (1/n) Σ f_i; 0 when f is not one")
      .def_property_readonly("is_callable", [](const ProblemHandle& h) { return h.is_callable; })
      .def_property_readonly("is_convex",
                             [](const ProblemHandle& h) { return h.problem->is_convex(); })
      .def_property_readonly("lower_bound",
                             [](const ProblemHandle& h) { return h.problem->lower_bound(); })
      .def(
          "value",
          [](const ProblemHandle& h, const py::object& x) {
            const Vector v = to_vector(x, "x");
            return without_gil(h, [&] { return h.problem->value(v); });
          },
          py::arg("x"), "f(x)")
      .def(
          "gradient",
          [](const ProblemHandle& h, const py::object& x) {
            const Vector v = to_vector(x, "x");
            Vector g;
            without_gil(h, [&] {
              h.problem->gradient(v, g);
              return 0;
            });
            return to_numpy(std::move(g));
          },
          py::arg("x"), "∇f(x) as a new float64 array (handed over without a copy)")
      .def(
          "value_and_gradient",
          [](const ProblemHandle& h, const py::object& x) {
            const Vector v = to_vector(x, "x");
            Vector g;
            const double f = without_gil(h, [&] { return h.problem->value_and_gradient(v, g); });
            return py::make_tuple(f, to_numpy(std::move(g)));
          },
          py::arg("x"), "(f(x), ∇f(x)) from one pass")
      .def(
          "minibatch_gradient",
          [](const ProblemHandle& h, const py::object& x, const std::vector<Index>& samples) {
            const Vector v = to_vector(x, "x");
            for (Index i : samples) {
              if (h.problem->num_samples() > 0 && (i < 0 || i >= h.problem->num_samples())) {
                throw py::index_error("sample index " + std::to_string(i) + " outside [0, " +
                                      std::to_string(h.problem->num_samples()) + ")");
              }
            }
            Vector g;
            without_gil(h, [&] {
              h.problem->minibatch_gradient(v, samples, g);
              return 0;
            });
            return to_numpy(std::move(g));
          },
          py::arg("x"), py::arg("samples"), "∇ of (1/|S|) Σ_{i∈S} f_i(x) (+ regulariser)")
      .def(
          "test_metrics",
          [](const ProblemHandle& h, const py::object& x) {
            const Vector v = to_vector(x, "x");
            return metrics_dict(without_gil(h, [&] { return h.problem->test_metrics(v); }));
          },
          py::arg("x"),
          "Held-out metrics (test_loss, test_accuracy, ...) where the problem has a test set")
      .def(
          "analytic_constants",
          [](const ProblemHandle& h) -> py::object {
            const auto c = h.problem->analytic_constants();
            if (!c) return py::none();
            py::dict d;
            d["L0"] = c->L0;
            d["L1"] = c->L1;
            d["L"] = c->L ? py::cast(*c->L) : py::none();
            d["note"] = c->note;
            return d;
          },
          "Closed-form (L0, L1) (and L) proved valid for f, or None")
      .def(
          "initial_point",
          [](const ProblemHandle& h, Rng& rng) { return to_numpy(h.problem->initial_point(rng)); },
          py::arg("rng"),
          "The problem's own starting point (zeros, or a network's random initialisation)")
      .def_property_readonly(
          "train",
          [](const ProblemHandle& h) {
            return h.train ? dataset_to_python(h.train) : py::object(py::none());
          },
          "The training split as {'X', 'y', ...} sharing the problem's memory (None without data)")
      .def_property_readonly(
          "test",
          [](const ProblemHandle& h) {
            return h.test ? dataset_to_python(h.test) : py::object(py::none());
          },
          "The test split (None without one)")
      .def_property_readonly(
          "calls",
          [](const ProblemHandle& h) -> py::object {
            if (!h.is_callable) return py::none();
            return py::cast(static_cast<const PythonObjective&>(*h.problem).calls());
          },
          "How many times a callable objective was called (None for built-in problems)")
      .def("__repr__",
           [](const ProblemHandle& h) { return "<signopt.Problem " + h.description + ">"; });

  m.def("problem", &built_in, py::arg("table"),
        "A built-in problem from a [problem] table as a dict, validated as in a config file, e.g. "
        "problem({'type': 'logistic-regression', 'data': 'data/mushrooms.libsvm', 'lambda': 1.0})");
  m.def(
      "objective",
      [](py::object f, Index dim, Index n_samples, const py::object& x0,
         std::optional<double> lower_bound, std::string name) {
        if (!PyCallable_Check(f.ptr())) throw py::type_error("f must be callable");
        std::optional<Vector> start;
        if (!x0.is_none()) start = to_vector(x0, "x0");
        auto p = std::make_shared<PythonObjective>(std::move(f), dim, n_samples, std::move(start),
                                                   lower_bound, name);
        const std::string description =
            n_samples > 0 ? fmt::format("{} (Python callable f(x, batch), d = {}, n = {})", name,
                                        dim, n_samples)
                          : fmt::format("{} (Python callable f(x), d = {})", name, dim);
        return ProblemHandle{p, nullptr, nullptr, description, true, std::nullopt};
      },
      py::arg("f"), py::arg("dim"), py::arg("n_samples") = 0, py::arg("x0") = py::none(),
      py::arg("lower_bound") = py::none(), py::arg("name") = "objective",
      "A Problem from a Python callable: f(x) -> (value, grad), or with n_samples = n, f(x, batch) "
      "-> "
      "(value, grad) where batch is None (the whole f) or an int64 array of sample indices.");
}

}  // namespace signopt::python
