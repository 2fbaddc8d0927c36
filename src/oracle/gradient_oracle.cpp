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
      noiseless_(dynamic_cast<const NoNoise*>(noise_.get()) != nullptr),
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
    // A hinted gradient is the same full pass, computed by the caller with other points': it
    // counts as the n sample gradients it took.
    if (hint != nullptr && hint->size() == d) {
      g = *hint;
    } else {
      problem_.gradient(x, g);
    }
    sample_gradients_ += std::max<Index>(problem_.num_samples(), 1);
  } else {
    const Index n = problem_.num_samples();
    const Index samples = batch * samples_per_draw_;  // data samples in this estimate
    indices_.resize(static_cast<std::size_t>(samples));
    if (sampling_ == Sampling::WithReplacement) {
      for (auto& i : indices_) i = static_cast<Index>(sample_rng_.uniform_int(static_cast<std::uint64_t>(n)));
    } else {
      require(samples <= n, "a batch of {} samples without replacement exceeds the {} samples",
              samples, n);
      // A partial Fisher–Yates shuffle of a permutation kept between calls: its first
      // `samples` entries are a uniformly random subset whatever order the permutation was
      // left in, at O(samples) cost per call.
      if (permutation_.size() != static_cast<std::size_t>(n)) {
        permutation_.resize(static_cast<std::size_t>(n));
        std::iota(permutation_.begin(), permutation_.end(), Index{0});
      }
      for (Index j = 0; j < samples; ++j) {
        const auto t = j + static_cast<Index>(sample_rng_.uniform_int(static_cast<std::uint64_t>(n - j)));
        std::swap(permutation_[static_cast<std::size_t>(j)], permutation_[static_cast<std::size_t>(t)]);
      }
      std::copy_n(permutation_.begin(), samples, indices_.begin());
    }
    problem_.minibatch_gradient(x, indices_, g);
    sample_gradients_ += samples;
  }

  // Noise: the average of `batch` independent draws.
  noise_buffer_.resize(d);
  if (!noiseless_) {
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
