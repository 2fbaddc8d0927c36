#include "signopt/oracle/gradient_oracle.hpp"

#include <numeric>

#include "signopt/core/error.hpp"

namespace signopt {

std::string to_string(Sampling s) {
  switch (s) {
    case Sampling::Full: return "full";
    case Sampling::WithReplacement: return "with-replacement";
    case Sampling::WithoutReplacement: return "without-replacement";
  }
  return "?";
}

Sampling sampling_from_string(const std::string& name) {
  for (Sampling s : {Sampling::Full, Sampling::WithReplacement, Sampling::WithoutReplacement}) {
    if (to_string(s) == name) return s;
  }
  fail("unknown sampling '{}' (valid: full, with-replacement, without-replacement)", name);
}

GradientOracle::GradientOracle(const Problem& problem, std::shared_ptr<const NoiseModel> noise,
                               Sampling sampling, StreamKey key, Vector coordinate_scale)
    : problem_(problem),
      noise_(noise ? std::move(noise) : std::make_shared<NoNoise>()),
      sampling_(sampling),
      coordinate_scale_(std::move(coordinate_scale)),
      noise_rng_(Rng::derive({key.experiment_seed, key.run_seed, key.worker, stream_tag("noise")})),
      sample_rng_(
          Rng::derive({key.experiment_seed, key.run_seed, key.worker, stream_tag("samples")})) {
  if (coordinate_scale_.size() != 0) {
    require(coordinate_scale_.size() == problem_.dim(),
            "per-coordinate noise scale has {} entries but the problem has dimension {}",
            coordinate_scale_.size(), problem_.dim());
    require((coordinate_scale_.array() >= 0).all() && coordinate_scale_.allFinite(),
            "per-coordinate noise scales must be finite and non-negative");
  }
  if (sampling_ != Sampling::Full) {
    require(problem_.num_samples() > 0,
            "sampling '{}' needs a finite-sum problem, but '{}' is not one", to_string(sampling_),
            problem_.name());
  }
}

void GradientOracle::set_samples_per_draw(Index samples) {
  require(samples >= 1, "samples per oracle draw must be at least 1, got {}", samples);
  samples_per_draw_ = samples;
}

void GradientOracle::hint_exact_gradient(const Vector& exact_gradient) { hint_ = &exact_gradient; }

void GradientOracle::estimate(const Vector& x, Index batch, Vector& g) {
  require(batch >= 1, "batch size must be at least 1, got {}", batch);
  const Index d = problem_.dim();
  const Vector* hint = hint_;
  hint_ = nullptr;

  if (sampling_ == Sampling::Full) {
    if (hint != nullptr && hint->size() == d) {
      g = *hint;
    } else {
      problem_.gradient(x, g);
      sample_gradients_ += std::max<Index>(problem_.num_samples(), 1);
    }
  } else {
    const Index n = problem_.num_samples();
    const Index samples = batch * samples_per_draw_;  // data samples in this estimate
    indices_.resize(static_cast<std::size_t>(samples));
    if (sampling_ == Sampling::WithReplacement) {
      for (auto& i : indices_) i = static_cast<Index>(sample_rng_.uniform_int(static_cast<std::uint64_t>(n)));
    } else {
      require(samples <= n, "a batch of {} samples without replacement exceeds the {} samples",
              samples, n);
      // Partial Fisher–Yates on a virtual permutation: Floyd's algorithm keeps it O(B) memory
      // but needs a set; B is small relative to n in practice, so a selection by rejection
      // against a sorted copy is cheaper. We use Floyd with a linear-probe check for B ≤ 64
      // and a full partial shuffle otherwise.
      if (samples <= 64) {
        Index filled = 0;
        for (Index j = n - samples; j < n; ++j) {
          auto t = static_cast<Index>(sample_rng_.uniform_int(static_cast<std::uint64_t>(j + 1)));
          bool seen = false;
          for (Index q = 0; q < filled; ++q) seen = seen || indices_[static_cast<std::size_t>(q)] == t;
          indices_[static_cast<std::size_t>(filled++)] = seen ? j : t;
        }
      } else {
        std::vector<Index> perm(static_cast<std::size_t>(n));
        std::iota(perm.begin(), perm.end(), Index{0});
        for (Index j = 0; j < samples; ++j) {
          auto t = j + static_cast<Index>(sample_rng_.uniform_int(static_cast<std::uint64_t>(n - j)));
          std::swap(perm[static_cast<std::size_t>(j)], perm[static_cast<std::size_t>(t)]);
        }
        std::copy_n(perm.begin(), samples, indices_.begin());
      }
    }
    problem_.minibatch_gradient(x, indices_, g);
    sample_gradients_ += samples;
  }

  // Noise: the average of `batch` independent draws.
  noise_buffer_.resize(d);
  if (dynamic_cast<const NoNoise*>(noise_.get()) == nullptr) {
    const double inv = 1.0 / static_cast<double>(batch);
    for (Index b = 0; b < batch; ++b) {
      noise_->sample(noise_rng_, std::span<double>(noise_buffer_.data(), static_cast<std::size_t>(d)));
      if (coordinate_scale_.size() != 0) {
        g.noalias() += inv * coordinate_scale_.cwiseProduct(noise_buffer_);
      } else {
        g.noalias() += inv * noise_buffer_;
      }
    }
  }
  draws_ += batch;
}

}  // namespace signopt
