// The estimators of docs/estimate.md as functions: local smoothness pairs with their (L0, L1)
// envelope, and the gradient noise of the oracle (tail index, σ, symmetry), for the study a
// config describes and optionally a Python objective.
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "numpy_views.hpp"
#include "problem_handle.hpp"
#include "signopt/core/error.hpp"
#include "signopt/experiment/constant_estimation.hpp"
#include "signopt/experiment/problem_factory.hpp"
#include "signopt/noise/noise_registry.hpp"
#include "study_config.hpp"

namespace signopt::python {
namespace {

py::dict fit_dict(const estimate::EnvelopeFit& f) {
  py::dict d;
  d["L0"] = f.L0;
  d["L1"] = f.L1;
  d["reference_norm"] = f.reference_norm;
  d["objective"] = f.objective;
  d["points"] = f.points;
  d["allowed_above"] = f.allowed_above;
  d["above"] = f.above;
  d["support"] = f.support;
  return d;
}

// The study's problem: the objective given, or the one its [problem] table describes.
std::shared_ptr<const Problem> study_problem(const experiment::ExperimentConfig& config,
                                             const ProblemHandle* objective) {
  if (objective != nullptr && !objective->is_callable) {
    fail("problem: a built-in problem is given by the config's [problem] table; pass problem= only for "
         "a Python objective (signopt.objective)");
  }
  if (objective != nullptr) return objective->problem;
  py::gil_scoped_release release;
  return experiment::build_problem(config.problem).problem;
}

py::dict smoothness(const py::object& source, const std::string& kind,
                    const ProblemHandle* objective, Index steps, Index seeds,
                    const std::vector<double>& alphas, double quantile, int threads) {
  const auto config = study_config(source, kind, objective);
  const auto problem = study_problem(config, objective);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  experiment::SmoothnessStudyOptions options;
  options.steps = steps;
  options.seeds = seeds;
  options.alphas = alphas;
  options.outlier_fraction = quantile;
  options.threads = objective != nullptr && threads == 0 ? 1 : threads;
  experiment::SmoothnessStudy study;
  {
    py::gil_scoped_release release;
    study = experiment::estimate_smoothness(config, *problem, noise, options);
  }
  py::dict pairs;
  std::vector<std::string> method;
  std::vector<std::uint64_t> seed;
  std::vector<Index> step;
  std::vector<double> alpha, grad_norm, L, distance;
  for (const auto& p : study.pairs) {
    method.push_back(study.methods[p.method]);
    seed.push_back(p.seed);
    step.push_back(p.pair.step);
    alpha.push_back(p.pair.alpha);
    grad_norm.push_back(p.pair.grad_norm);
    L.push_back(p.pair.smoothness);
    distance.push_back(p.pair.distance);
  }
  pairs["method"] = method;
  pairs["seed"] = seed;
  pairs["step"] = step;
  pairs["alpha"] = alpha;
  pairs["grad_norm"] = grad_norm;
  pairs["smoothness"] = L;
  pairs["distance"] = distance;
  py::dict out;
  out["pairs"] = pairs;
  out["fit"] = fit_dict(study.fit);
  out["strict_fit"] = fit_dict(study.strict_fit);
  py::dict per_method;
  for (std::size_t i = 0; i < study.methods.size(); ++i)
    per_method[py::str(study.methods[i])] = fit_dict(study.method_fits[i]);
  out["method_fits"] = per_method;
  out["max_smoothness"] = study.max_smoothness;
  out["outlier_fraction"] = study.outlier_fraction;
  out["steps"] = study.steps;
  out["seeds"] = study.seeds;
  out["skipped_pairs"] = study.skipped_pairs;
  out["skipped_methods"] = study.skipped;
  out["notes"] = study.notes;
  if (study.analytic) {
    py::dict a;
    a["L0"] = study.analytic->L0;
    a["L1"] = study.analytic->L1;
    a["L"] = study.analytic->L ? py::cast(*study.analytic->L) : py::none();
    a["note"] = study.analytic->note;
    out["analytic"] = a;
  } else {
    out["analytic"] = py::none();
  }
  return out;
}

py::dict noise_study(const py::object& source, const std::string& kind,
                     const ProblemHandle* objective, Index samples, std::optional<double> kappa,
                     std::size_t hill_k, const std::vector<Index>& at, const std::string& method,
                     Index coordinates) {
  const auto config = study_config(source, kind, objective);
  const auto problem = study_problem(config, objective);
  const auto noise = make_noise_model(config.noise.model, config.noise.parameters);
  experiment::NoiseStudyOptions options;
  options.samples = samples;
  options.kappa = kappa;
  options.hill_k = hill_k;
  options.at = at;
  options.method = method;
  options.max_coordinates = coordinates;
  auto study = std::make_shared<experiment::NoiseStudy>();
  {
    py::gil_scoped_release release;
    *study = experiment::estimate_noise(config, *problem, noise, options);
  }
  py::dict out;
  out["method"] = study->method;
  out["seed"] = study->seed;
  out["dim"] = study->dim;
  out["coordinates"] = study->coordinates;
  out["oracle"] = study->oracle;
  out["kappa_given"] = study->kappa_given;
  py::list points;
  for (const auto& p : study->points) {
    const auto& a = p.analysis;
    py::dict d;
    d["iteration"] = p.iteration;
    // samples × coordinates, column-major in Eigen: numpy sees it with Fortran strides, no copy.
    py::array_t<double> z(
        {static_cast<py::ssize_t>(p.noise.rows()), static_cast<py::ssize_t>(p.noise.cols())},
        {static_cast<py::ssize_t>(sizeof(double)),
         static_cast<py::ssize_t>(sizeof(double) * p.noise.rows())},
        p.noise.data(), py::capsule(new std::shared_ptr<const void>(study), [](void* h) {
          delete static_cast<std::shared_ptr<const void>*>(h);
        }));
    py::detail::array_proxy(z.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
    d["noise"] = z;
    py::dict table;
    std::vector<Index> coordinate;
    std::vector<double> mean, moment, sigma, tail, tail_se, block, block_se, sign_p, tail_p;
    for (const auto& c : a.coordinates) {
      coordinate.push_back(c.coordinate);
      mean.push_back(c.mean);
      moment.push_back(c.moment);
      sigma.push_back(c.sigma);
      tail.push_back(c.tail_index);
      tail_se.push_back(c.tail_index_se);
      block.push_back(c.block_tail_index);
      block_se.push_back(c.block_tail_index_se);
      sign_p.push_back(c.symmetry.sign_p_value);
      tail_p.push_back(c.symmetry.tail_p_value);
    }
    table["coordinate"] = coordinate;
    table["mean"] = mean;
    table["moment"] = moment;
    table["sigma"] = sigma;
    table["tail_index"] = tail;
    table["tail_index_se"] = tail_se;
    table["block_tail_index"] = block;
    table["block_tail_index_se"] = block_se;
    table["sign_p_value"] = sign_p;
    table["tail_balance_p_value"] = tail_p;
    d["coordinates"] = table;
    py::dict s;
    s["kappa"] = a.kappa;
    s["hill_k"] = a.hill_k;
    s["samples"] = a.samples;
    s["finite_tail"] = a.finite_tail;
    s["unbounded_tail"] = a.unbounded_tail;
    s["undefined_tail"] = a.undefined_tail;
    s["tail_median"] = a.tail_median;
    s["tail_q10"] = a.tail_q10;
    s["tail_q90"] = a.tail_q90;
    s["tail_min"] = a.tail_min;
    s["tail_at_most_2"] = a.tail_at_most_2;
    s["tail_at_most_kappa"] = a.tail_at_most_kappa;
    s["block_k"] = a.block_k;
    s["block_tail_median"] = a.block_tail_median;
    s["tail_lower"] = a.tail_lower;
    s["kappa_allowed"] = a.kappa_allowed ? py::cast(*a.kappa_allowed) : py::none();
    s["kappa_ruled_out"] = a.kappa_ruled_out;
    s["sigma_median"] = a.sigma_median;
    s["sigma_l1"] = a.sigma_l1;
    s["sigma_kappa"] = a.sigma_kappa;
    s["sign_rejected"] = a.sign_rejected;
    s["tail_balance_rejected"] = a.tail_balance_rejected;
    s["min_p_bonferroni"] = a.min_p_bonferroni;
    d["summary"] = s;
    points.append(d);
  }
  out["points"] = points;
  return out;
}

}  // namespace

void bind_estimators(py::module_& m) {
  m.def("_estimate_smoothness", &smoothness, py::arg("source"), py::arg("kind"),
        py::arg("objective"), py::arg("steps"), py::arg("seeds"), py::arg("alphas"),
        py::arg("quantile"), py::arg("threads"));
  m.def("_estimate_noise", &noise_study, py::arg("source"), py::arg("kind"), py::arg("objective"),
        py::arg("samples"), py::arg("kappa"), py::arg("hill_k"), py::arg("at"), py::arg("method"),
        py::arg("coordinates"));
}

}  // namespace signopt::python
