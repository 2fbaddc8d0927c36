#pragma once
// Measuring the theory's constants for the problem, noise and oracle a config describes
// (docs/theory.md §7; docs/estimate.md): `signopt estimate smoothness|noise` and
// [theory] constants = "estimated" use these.
//
// Trajectories are the runner's own: method m with run seed s starts from the same x¹ and draws
// from the same oracle streams as run (m, s) of `signopt run`, so the pairs come from the very
// trajectories an experiment reports.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "signopt/estimate/envelope_fit.hpp"
#include "signopt/estimate/gradient_noise.hpp"
#include "signopt/estimate/smoothness_pairs.hpp"
#include "signopt/experiment/config.hpp"
#include "signopt/noise/noise_model.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {

// Does the method take a parameter from the theory ("theory", "gamma-L", "gamma-L1",
// "gamma-M")? Such methods cannot drive the trajectories that measure the constants the theory
// needs; the others ("pilot" methods) can.
bool uses_theory_parameters(const MethodConfig& method);

struct SmoothnessStudyOptions {
  Index steps = 0;  // 0: the config's iterations
  Index seeds = 0;  // 0: min(config seeds, 3)
  std::vector<double> alphas{0.25, 0.5, 0.75};
  double outlier_fraction = 0.01;  // q of the envelope fit (a q = 0 fit is reported too)
  bool pilot_only = false;         // drive only methods without theory parameters
  int threads = 0;                 // 0: the config's, else all hardware threads
};

struct LabelledPair {
  std::size_t method = 0;  // index into SmoothnessStudy::methods
  std::uint64_t seed = 0;
  estimate::SmoothnessPair pair;
};

struct SmoothnessStudy {
  std::vector<std::string> methods;  // labels of the methods that drove trajectories
  std::vector<std::string> skipped;  // "label: why"
  std::vector<std::string> notes;    // divergence and the like
  Index steps = 0, seeds = 0;
  std::vector<double> alphas;
  double outlier_fraction = 0.0;  // q of `fit`
  std::vector<LabelledPair> pairs;
  Index skipped_pairs = 0;                         // too short steps
  estimate::EnvelopeFit fit;                       // above all but a q fraction
  estimate::EnvelopeFit strict_fit;                // above every pair
  std::vector<estimate::EnvelopeFit> method_fits;  // per method (q), same order as methods
  double max_smoothness = 0.0;  // the largest L̂: an estimate (lower bound) of plain L
  std::optional<SmoothnessConstants> analytic;
};

// Throws Error when no method can drive a trajectory, when every trajectory diverges at once or
// when options are invalid.
SmoothnessStudy estimate_smoothness(const ExperimentConfig& config, const Problem& problem,
                                    std::shared_ptr<const NoiseModel> noise,
                                    const SmoothnessStudyOptions& options);

struct NoiseStudyOptions {
  Index samples = 10000;        // oracle draws per point
  std::optional<double> kappa;  // default: [theory] kappa
  std::size_t hill_k = 0;       // 0: estimate::default_hill_k(samples)
  std::vector<Index> at{0};     // iterations of the run at which to sample (0 = the start)
  std::string method;           // label of the method whose run gives the points; default: the
                                // first that can run (a pilot method if pilot_only)
  bool pilot_only = false;
  Index max_coordinates = 1000;  // more coordinates than this: evenly spaced ones are analysed
};

struct NoisePoint {
  Index iteration = 0;
  Matrix noise;  // samples × coordinates: z = g − ∇f(x)
  estimate::NoiseAnalysis analysis;
};

struct NoiseStudy {
  std::string method;      // whose run gave the points ("" when only the start is sampled)
  std::uint64_t seed = 0;  // the run seed (the config's first seed)
  Index dim = 0;
  std::vector<Index> coordinates;  // analysed coordinates
  std::string oracle;              // "sampling, b samples per draw, noise"
  std::vector<NoisePoint> points;
};

NoiseStudy estimate_noise(const ExperimentConfig& config, const Problem& problem,
                          std::shared_ptr<const NoiseModel> noise,
                          const NoiseStudyOptions& options);

}  // namespace signopt::experiment
