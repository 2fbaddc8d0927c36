#pragma once
// Where runs start: x¹ for every run of a method (docs/config.md, "Starting points").
//
//   start = "default"                       the problem's own start (see its docs)
//   start = "zeros"                         x¹ = 0
//   start = 3.0                             x¹ = 3·(1, ..., 1)
//   start = { distribution = "normal", mean = 0.0, std = 1.0 }
//                                           x¹ ~ N(mean, std² I), drawn per run from the run's
//                                           own stream (experiment seed, run seed,
//                                           "initial-point"): each seed starts elsewhere, the
//                                           same seed always at the same point
//   start = { file = "x0.npy" }  (or "x0.csv", or start = "x0.npy")
//                                           one point for every run, read from a .npy or text
//                                           file (docs/config.md); its length must be d
#include <filesystem>
#include <string>

#include "signopt/core/rng.hpp"
#include "signopt/core/types.hpp"

namespace signopt {
class Problem;
}

namespace signopt::experiment {

struct StartConfig {
  enum class Kind { ProblemDefault, Zeros, Constant, Normal, File };
  Kind kind = Kind::ProblemDefault;
  double value = 0.0;            // Constant
  double mean = 0.0, std = 1.0;  // Normal
  std::filesystem::path file;    // File
  // "problem default", "zeros", "constant 3", "N(0, 1² I) per seed", "file x0.npy".
  std::string describe() const;
  // Checks the fields (std > 0, finite values, a file name); Error naming `where` otherwise.
  void validate(const std::string& where) const;
};

// The starting points of one method's runs: a file is read (and its length checked) once.
class StartPoints {
 public:
  StartPoints(const StartConfig& config, const Problem& problem);
  // x¹ for one run; `rng` is the run's "initial-point" stream (used by Normal and by problems
  // whose own start is random, e.g. networks).
  Vector draw(Rng& rng) const;
  const StartConfig& config() const { return config_; }

 private:
  StartConfig config_;
  const Problem& problem_;
  Vector fixed_;  // File
};

}  // namespace signopt::experiment
