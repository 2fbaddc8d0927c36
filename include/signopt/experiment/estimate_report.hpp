#pragma once
// Output files of `signopt estimate smoothness|noise` (docs/estimate.md):
//   smoothness_pairs.csv     method, seed, step, alpha, grad_norm2, smoothness, distance
//   smoothness_fit.json      the fits (above a (1 − q) fraction and above all pairs), per method,
//                            the analytic constants where the problem has them
//   plots/smoothness.*       the pairs, the fitted envelopes and the analytic line
//   noise_coordinates.csv    per point and coordinate: mean, E|z|^κ, σ_i, Hill index, symmetry
//   noise_summary.json       the summaries across coordinates
//   plots/noise_histogram_kK.*  histogram of the noise, each coordinate scaled by its median |z|
//   plots/noise_tail_kK.*       log-log survival function P(|z|/s > t), with the Hill slope
// Each function returns the text summary the CLI prints.
#include <filesystem>
#include <string>

#include "signopt/experiment/config.hpp"
#include "signopt/experiment/constant_estimation.hpp"

namespace signopt::experiment {

std::string write_smoothness_report(const std::filesystem::path& dir,
                                    const ExperimentConfig& config, const SmoothnessStudy& study,
                                    bool plots = true);

std::string write_noise_report(const std::filesystem::path& dir, const ExperimentConfig& config,
                               const NoiseStudy& study, bool plots = true);

}  // namespace signopt::experiment
