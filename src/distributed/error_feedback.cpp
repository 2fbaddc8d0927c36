#include "signopt/distributed/error_feedback.hpp"

#include "signopt/core/error.hpp"

namespace signopt {

std::string to_string(ErrorFeedbackKind k) {
  return k == ErrorFeedbackKind::None ? "none" : "residual";
}

ErrorFeedbackKind error_feedback_from_string(const std::string& name) {
  if (name == "none") return ErrorFeedbackKind::None;
  if (name == "residual") return ErrorFeedbackKind::Residual;
  fail("unknown error feedback '{}' (valid: none, residual)", name);
}

ErrorFeedbackMemory::ErrorFeedbackMemory(ErrorFeedbackKind kind, Index d) : kind_(kind) {
  require(d >= 1, "error feedback: dimension must be at least 1, got {}", d);
  if (kind_ == ErrorFeedbackKind::Residual) residual_ = Vector::Zero(d);
}

void ErrorFeedbackMemory::correct(const Vector& v, Vector& corrected) const {
  if (kind_ == ErrorFeedbackKind::None) {
    corrected = v;
    return;
  }
  require(v.size() == residual_.size(), "error feedback: vector of {} coordinates, memory of {}",
          v.size(), residual_.size());
  corrected = v + residual_;
}

void ErrorFeedbackMemory::update(const Vector& corrected, const Vector& decoded) {
  if (kind_ == ErrorFeedbackKind::None) return;
  require(corrected.size() == residual_.size() && decoded.size() == residual_.size(),
          "error feedback: vectors of {} and {} coordinates, memory of {}", corrected.size(),
          decoded.size(), residual_.size());
  residual_ = corrected - decoded;
}

}  // namespace signopt
