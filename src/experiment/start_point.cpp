#include "signopt/experiment/start_point.hpp"

#include <fmt/format.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/data/npy.hpp"
#include "signopt/problems/problem.hpp"

namespace signopt::experiment {
std::string StartConfig::describe() const {
  switch (kind) {
    case Kind::ProblemDefault: return "the problem's default start";
    case Kind::Zeros: return "zeros";
    case Kind::Constant: return fmt::format("constant {:g}·(1, …, 1)", value);
    case Kind::Normal: return fmt::format("N({:g}, {:g}² I), drawn per seed", mean, std);
    case Kind::File: return fmt::format("read from {}", file.string());
  }
  return "?";
}

void StartConfig::validate(const std::string& where) const {
  switch (kind) {
    case Kind::Constant:
      require(std::isfinite(value), "{}: start must be a finite number", where);
      break;
    case Kind::Normal:
      require(std::isfinite(mean), "{}: start.mean must be finite", where);
      require(std::isfinite(std) && std > 0, "{}: start.std must be > 0, got {}", where, std);
      break;
    case Kind::File:
      require(!file.empty(), "{}: start.file is empty", where);
      break;
    default: break;
  }
}

StartPoints::StartPoints(const StartConfig& config, const Problem& problem)
    : config_(config), problem_(problem) {
  if (config_.kind == StartConfig::Kind::File) {
    fixed_ = read_vector_file(config_.file);
    require(fixed_.size() == problem.dim(), "start file {} holds {} numbers, the problem has d = {}",
            config_.file.string(), fixed_.size(), problem.dim());
  }
}

Vector StartPoints::draw(Rng& rng) const {
  const Index d = problem_.dim();
  switch (config_.kind) {
    case StartConfig::Kind::ProblemDefault: return problem_.initial_point(rng);
    case StartConfig::Kind::Zeros: return Vector::Zero(d);
    case StartConfig::Kind::Constant: return Vector::Constant(d, config_.value);
    case StartConfig::Kind::Normal: {
      Vector x(d);
      for (Index i = 0; i < d; ++i) x[i] = config_.mean + config_.std * rng.normal();
      return x;
    }
    case StartConfig::Kind::File: return fixed_;
  }
  return Vector::Zero(d);
}

}  // namespace signopt::experiment
