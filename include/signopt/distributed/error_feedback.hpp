#pragma once
// Error-feedback memory (the Memory of the GRACE split; Karimireddy et al. 2019, Seide et al.
// 2014): a worker compresses p = v + e instead of v and keeps what compression lost,
//   p = v + e,   message = C(p),   e ← p − decode(message),   e⁰ = 0.
// With "none" the worker compresses v and the memory stays empty.
#include <string>

#include "signopt/core/types.hpp"

namespace signopt {

enum class ErrorFeedbackKind { None, Residual };
std::string to_string(ErrorFeedbackKind k);
ErrorFeedbackKind error_feedback_from_string(const std::string& name);  // "none" | "residual"

class ErrorFeedbackMemory {
 public:
  ErrorFeedbackMemory(ErrorFeedbackKind kind, Index d);

  ErrorFeedbackKind kind() const { return kind_; }

  // corrected = v + e (residual) or v (none).
  void correct(const Vector& v, Vector& corrected) const;
  // e ← corrected − decoded (residual); nothing for none.
  void update(const Vector& corrected, const Vector& decoded);

  // The residual e (zero-length for none).
  const Vector& residual() const { return residual_; }

 private:
  ErrorFeedbackKind kind_;
  Vector residual_;
};

}  // namespace signopt
