#include "signopt/optim/output_point.hpp"

#include "signopt/core/error.hpp"

namespace signopt::optim {

std::string to_string(OutputRule rule) {
  switch (rule) {
    case OutputRule::Uniform: return "uniform";
    case OutputRule::Last: return "last";
    case OutputRule::Best: return "best";
  }
  return "?";
}

OutputRule output_rule_from_string(const std::string& name) {
  for (auto rule : {OutputRule::Uniform, OutputRule::Last, OutputRule::Best}) {
    if (to_string(rule) == name) return rule;
  }
  fail("unknown output point '{}' (valid: uniform, last, best)", name);
}

OutputPoint::OutputPoint(OutputRule rule, Rng rng) : rule_(rule), rng_(rng) {}

void OutputPoint::draw_candidate(Index k, const Vector& x_k) {
  // Algorithm R: candidate k replaces the reservoir with probability 1/k (always for k = 1).
  pending_selected_ = rng_.uniform_int(static_cast<std::uint64_t>(k)) == 0;
  if (pending_selected_) pending_ = x_k;  // same size every time: no reallocation
}

void OutputPoint::start(const Vector& x1, double value) {
  require(x1.size() >= 1, "output point: the starting point is empty");
  steps_ = 0;
  started_ = true;
  value_ = std::numeric_limits<double>::quiet_NaN();
  switch (rule_) {
    case OutputRule::Uniform:
      kept_.setZero(x1.size());
      pending_.setZero(x1.size());
      kept_index_ = 0;
      draw_candidate(1, x1);
      break;
    case OutputRule::Last:
      point_ = x1;
      index_ = 1;
      break;
    case OutputRule::Best:
      point_ = x1;
      index_ = 1;
      value_ = value;
      break;
  }
}

void OutputPoint::observe_step(Index k, const Vector& x_next, double value) {
  require(started_, "output point: observe_step() before start()");
  require(k == steps_ + 1, "output point: expected step {}, got step {}", steps_ + 1, k);
  const Index d = rule_ == OutputRule::Uniform ? kept_.size() : point_.size();
  require(x_next.size() == d, "output point: point of size {} where {} was expected",
          x_next.size(), d);
  steps_ = k;
  switch (rule_) {
    case OutputRule::Uniform:
      // Step k used x^k: if it was drawn, it now enters the reservoir.
      if (pending_selected_) {
        kept_.swap(pending_);
        kept_index_ = k;
      }
      draw_candidate(k + 1, x_next);
      break;
    case OutputRule::Last:
      point_ = x_next;
      index_ = k + 1;
      break;
    case OutputRule::Best:
      if (!std::isnan(value) && (std::isnan(value_) || value < value_)) {
        point_ = x_next;
        index_ = k + 1;
        value_ = value;
      }
      break;
  }
}

const Vector& OutputPoint::point() const {
  require(started_, "output point: no point before start()");
  if (rule_ == OutputRule::Uniform) {
    require(steps_ >= 1, "output point: the uniform rule needs at least one step");
    return kept_;
  }
  return point_;
}

Index OutputPoint::index() const {
  point();  // same preconditions
  return rule_ == OutputRule::Uniform ? kept_index_ : index_;
}

}  // namespace signopt::optim
