#include "signopt/optim/theory_tuner.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "signopt/core/error.hpp"
#include "signopt/data/libsvm_reader.hpp"
#include "test_support.hpp"

namespace signopt::optim {
namespace {

TEST(SeedStepSizes, PinTheSeedNotebookNumbersOnMushrooms) {
  // docs/theory.md §3: d = 112, R = √21, λ = 1, δ = 0.99.
  const auto s = seed_step_sizes(std::sqrt(21.0), 1.0, 112, 0.99);
  EXPECT_NEAR(s.L, 22.0, 1e-12);
  EXPECT_NEAR(s.L1, 5.5826, 5e-5);
  EXPECT_NEAR(s.gamma_L, 0.0038157, 5e-8);
  EXPECT_NEAR(s.gamma_L1, 0.0150369, 5e-8);
  EXPECT_NEAR(s.gamma_momentum, 0.1 / (8 * s.L1 * 112), 1e-18);
}

TEST(SeedStepSizes, MushroomsRowsAllHaveNormSqrt21) {
  // The whole file and any split give the same R (every row has 21 ones), hence the same numbers.
  const Dataset data = read_libsvm(signopt::testing::mushrooms_path());
  EXPECT_EQ(data.cols(), 112);
  EXPECT_NEAR(data.max_row_norm(), std::sqrt(21.0), 1e-12);
  const auto split = train_test_split(data, 0.2, 123);
  EXPECT_NEAR(split.train.max_row_norm(), std::sqrt(21.0), 1e-12);
}

TEST(SeedStepSizes, RejectImpossibleInputs) {
  EXPECT_THROW(seed_step_sizes(-1.0, 1.0, 10, 0.5), Error);
  EXPECT_THROW(seed_step_sizes(1.0, -1.0, 10, 0.5), Error);
  EXPECT_THROW(seed_step_sizes(0.0, 0.0, 10, 0.5), Error);
  EXPECT_THROW(seed_step_sizes(1.0, 1.0, 0, 0.5), Error);
  EXPECT_THROW(seed_step_sizes(1.0, 1.0, 10, 1.0), Error);
  EXPECT_THROW(seed_step_sizes(1.0, 1.0, 10, 0.0), Error);
}

TunerInputs example() {
  TunerInputs in;
  in.d = 100;
  in.L0 = 1.0;
  in.L1 = 1.0;
  in.delta1 = 10.0;
  in.sigma_l1 = 10.0;
  in.sigma_kappa = 2.0;
  in.kappa = 1.5;
  in.delta = 0.01;
  in.epsilon = 1.0;
  in.grad1_l1 = 50.0;
  return in;
}

TEST(MinibatchTuner, LargeEpsilonRegime) {
  const TunerInputs in = example();  // 8 L0/(L1 √d) = 0.8 ≤ ε = 1
  const auto t = tune_minibatch_signsgd(in);
  const double log_inv_delta = std::log(100.0);
  EXPECT_EQ(t.regime, 1);
  EXPECT_DOUBLE_EQ(t.gamma, 1.0 / (48.0 * 1000.0 * log_inv_delta));
  EXPECT_EQ(t.batch, 4096000);  // (16·10/1)^{1.5/0.5} = 160³
  // T is the smallest integer with 192 c Δ1 L1 log(1/δ) d^{3/2} / T ≤ ε/2.
  const double numerator = 192.0 * 10.0 * log_inv_delta * 1000.0;
  EXPECT_LE(numerator / static_cast<double>(t.iterations), 0.5);
  EXPECT_GT(numerator / static_cast<double>(t.iterations - 1), 0.5);
  EXPECT_EQ(t.iterations, static_cast<std::int64_t>(std::ceil(2.0 * numerator)));
  EXPECT_EQ(t.oracle_calls, t.iterations * t.batch);
  EXPECT_TRUE(t.step_size_condition);
  ASSERT_TRUE(t.bound.has_value());
  // The terms as the theorem writes them: the first ≤ ε/2, the noise term ≤ ε/2, and the
  // smoothness term is (5/3) L0/(c L1 √d) in this regime.
  EXPECT_LE(t.bound->terms[0].second, 0.5);
  EXPECT_NEAR(t.bound->terms[1].second, 5.0 / 3.0 * 0.1, 1e-12);
  EXPECT_LE(t.bound->terms[2].second, 0.5 * (1 + 1e-12));  // B = 160³ exactly: ε/2 up to rounding
  EXPECT_NEAR(t.bound->terms[3].second, 24.0 * 100 * 50 * log_inv_delta / t.iterations, 1e-12);
  double sum = 0;
  for (const auto& term : t.bound->terms) sum += term.second;
  EXPECT_DOUBLE_EQ(t.bound->total, sum);
}

TEST(MinibatchTuner, SmallEpsilonRegime) {
  TunerInputs in = example();
  in.epsilon = 0.5;  // < 0.8
  in.kappa = 2.0;
  const auto t = tune_minibatch_signsgd(in);
  const double log_inv_delta = std::log(100.0);
  EXPECT_EQ(t.regime, 2);
  EXPECT_EQ(t.batch, 102400);  // (16·10/0.5)² = 320²
  // T smallest with 2 √(320 Δ1 L0 log(1/δ) d / T) ≤ ε/2.
  const double a = 320.0 * 10.0 * log_inv_delta * 100.0;
  auto holds = [&](double T) { return 2.0 * std::sqrt(a / T) <= 0.25; };
  EXPECT_TRUE(holds(static_cast<double>(t.iterations)));
  EXPECT_FALSE(holds(static_cast<double>(t.iterations - 1)));
  EXPECT_DOUBLE_EQ(t.gamma, std::sqrt(10.0 / (20.0 * log_inv_delta * 100.0 *
                                              static_cast<double>(t.iterations))));
  // At these (γ, T) the first two terms are equal (the balance the choice of γ makes).
  EXPECT_NEAR(t.bound->terms[0].second, t.bound->terms[1].second, 1e-9);
}

TEST(MinibatchTuner, RegimeBoundaryUsesC) {
  TunerInputs in = example();
  in.epsilon = 0.5;  // regime 2 for c = 1 (threshold 0.8), regime 1 for c = 2 (threshold 0.4)
  EXPECT_EQ(tune_minibatch_signsgd(in).regime, 2);
  in.c = 2.0;
  const auto t = tune_minibatch_signsgd(in);
  EXPECT_EQ(t.regime, 1);
  EXPECT_DOUBLE_EQ(t.gamma, 1.0 / (48.0 * 2.0 * 1000.0 * std::log(100.0)));
  in.epsilon = 0.8;  // exactly at the threshold (c = 1): the large-ε regime
  in.c = 1.0;
  EXPECT_EQ(tune_minibatch_signsgd(in).regime, 1);
}

TEST(MinibatchTuner, FlagsAStepSizeAboveTheTheoremsCap) {
  // In regime 2, γ ≈ ε/(320 L0 d log(1/δ)), above 1/(48 L1 d^{3/2} log(1/δ)) when ε > 6.67 L0/(L1
  // √d).
  TunerInputs in = example();
  in.epsilon = 0.75;
  const auto t = tune_minibatch_signsgd(in);
  EXPECT_EQ(t.regime, 2);
  EXPECT_FALSE(t.step_size_condition);
  EXPECT_GT(t.gamma, t.gamma_max);
  in.epsilon = 0.5;
  EXPECT_TRUE(tune_minibatch_signsgd(in).step_size_condition);
}

TEST(MinibatchTuner, NoNoiseMeansBatchOneAndL1ZeroMeansRegimeTwo) {
  TunerInputs in = example();
  in.sigma_l1 = 0.0;
  EXPECT_EQ(tune_minibatch_signsgd(in).batch, 1);
  in.L1 = 0.0;
  const auto t = tune_minibatch_signsgd(in);
  EXPECT_EQ(t.regime, 2);
  EXPECT_TRUE(std::isinf(t.gamma_max));
}

TEST(MinibatchTuner, BoundNeedsTheInitialGradient) {
  TunerInputs in = example();
  in.grad1_l1.reset();
  const auto t = tune_minibatch_signsgd(in);
  EXPECT_FALSE(t.bound.has_value());
  EXPECT_GT(t.iterations, 0);
}

TEST(NoiseLevels, VectorConstantAndHoelderFallback) {
  TunerInputs in = example();
  in.kappa = 2.0;
  in.set_sigma(Vector{{1.0, 2.0, 2.0}});
  EXPECT_DOUBLE_EQ(*in.sigma_l1, 5.0);
  EXPECT_DOUBLE_EQ(*in.sigma_kappa, 3.0);
  in.set_constant_sigma(0.5);  // d = 100
  EXPECT_DOUBLE_EQ(*in.sigma_l1, 50.0);
  EXPECT_DOUBLE_EQ(*in.sigma_kappa, 5.0);
  // Only |σ|_κ: |σ|_1 ≤ d^{1−1/κ} |σ|_κ is used, with a note.
  in.sigma_l1.reset();
  in.sigma_kappa = 2.0;
  const auto t = tune_minibatch_signsgd(in);
  EXPECT_DOUBLE_EQ(t.sigma_l1_used, 10.0 * 2.0);
  EXPECT_FALSE(t.notes.empty());
  EXPECT_THROW(in.set_sigma(Vector{{1.0, -1.0}}), Error);
}

// 1 − β of Theorem 2 at T, written out again from docs/theory.md §3.
double one_minus_beta(const TunerInputs& in, int regime, double T) {
  const double k = in.kappa;
  if (regime == 1) {
    return std::min(
        1.0, std::pow(in.c * in.delta1 * in.L1 * std::sqrt(double(in.d)) / (T * *in.sigma_kappa),
                      k / (2 * k - 1)));
  }
  return std::min(
      1.0, std::pow(in.delta1 * in.L0 / (T * *in.sigma_kappa * *in.sigma_kappa), k / (3 * k - 2)));
}

TEST(MomentumTuner, LargeEpsilonRegimeAndSmallestT) {
  TunerInputs in = example();
  in.epsilon = 4.0;  // ≥ 3 L0/(c L1) = 3
  const auto t = tune_momentum_signsgd(in);
  EXPECT_EQ(t.regime, 1);
  const double T = static_cast<double>(t.iterations);
  EXPECT_NEAR(t.one_minus_beta, one_minus_beta(in, 1, T), 1e-15);
  EXPECT_NEAR(t.beta, 1.0 - t.one_minus_beta, 1e-15);
  EXPECT_DOUBLE_EQ(t.gamma, t.one_minus_beta / (8.0 * 1.0 * 100.0));
  EXPECT_LE(t.bound.total, 4.0);
  // One iteration fewer (with β and γ recomputed for it) misses ε.
  const double omb = one_minus_beta(in, 1, T - 1);
  const double eps1 = (1 - omb) * 50.0 + omb * 2.0;
  const auto before = momentum_signsgd_bound(in, 2.0, eps1, omb, omb / 800.0, T - 1);
  EXPECT_GT(before.total, 4.0);
  // The smoothness term is constant in this regime: 2 L0 d γ/(1−β) = L0/(4 c L1).
  EXPECT_NEAR(t.bound.terms[3].second, 0.25, 1e-12);
  EXPECT_TRUE(t.step_size_condition);
}

TEST(MomentumTuner, SmallEpsilonRegime) {
  TunerInputs in = example();
  in.epsilon = 2.0;  // < 3
  in.initial_momentum_error = 1.0;
  const auto t = tune_momentum_signsgd(in);
  EXPECT_EQ(t.regime, 2);
  const double T = static_cast<double>(t.iterations);
  EXPECT_NEAR(t.one_minus_beta, one_minus_beta(in, 2, T), 1e-15);
  EXPECT_DOUBLE_EQ(t.gamma, std::sqrt(10.0 * t.one_minus_beta / (T * 1.0 * 100.0)));
  EXPECT_EQ(t.initial_momentum_error_used, 1.0);
  EXPECT_LE(t.bound.total, 2.0);
  const double omb = one_minus_beta(in, 2, T - 1);
  const double gamma = std::sqrt(10.0 * omb / ((T - 1) * 100.0));
  EXPECT_GT(momentum_signsgd_bound(in, 2.0, 1.0, omb, gamma, T - 1).total, 2.0);
  // γ balances the first and last terms: 2Δ1/(γT) = 2 L0 d γ/(1−β).
  EXPECT_NEAR(t.bound.terms[0].second, t.bound.terms[3].second, 1e-12);
}

TEST(MomentumTuner, OneMinusBetaIsTheMinNotOneMinusTheMin) {
  // The proof's reading (docs/theory.md §3): 1 − β = min{1, …}. Large noise makes the min small,
  // so β is close to 1; the misprint 1 − β = 1 − min{…} would make β small instead.
  TunerInputs in = example();
  in.epsilon = 4.0;
  in.sigma_kappa = 100.0;
  const auto t = tune_momentum_signsgd(in);
  EXPECT_GT(t.beta, 0.9);
  // Without noise no averaging is needed: β = 0.
  in.sigma_kappa = 0.0;
  in.sigma_l1 = 0.0;
  EXPECT_EQ(tune_momentum_signsgd(in).beta, 0.0);
}

TEST(MomentumTuner, NeedsTheInitialMomentumErrorOrTheInitialGradient) {
  TunerInputs in = example();
  in.grad1_l1.reset();
  EXPECT_THROW(tune_momentum_signsgd(in), Error);
  in.initial_momentum_error = 3.0;
  EXPECT_NO_THROW(tune_momentum_signsgd(in));
}

TEST(TunerValidation, ImpossibleInputsAreErrors) {
  auto throws = [](auto mutate) {
    TunerInputs in = example();
    mutate(in);
    EXPECT_THROW(tune_minibatch_signsgd(in), Error);
  };
  throws([](TunerInputs& in) { in.kappa = 1.0; });
  throws([](TunerInputs& in) { in.kappa = 2.5; });
  throws([](TunerInputs& in) { in.delta = 0.0; });
  throws([](TunerInputs& in) { in.delta = 1.0; });
  throws([](TunerInputs& in) { in.epsilon = 0.0; });
  throws([](TunerInputs& in) { in.epsilon = -1.0; });
  throws([](TunerInputs& in) { in.L0 = -1.0; });
  throws([](TunerInputs& in) { in.L1 = -0.5; });
  throws([](TunerInputs& in) { in.L0 = 0.0, in.L1 = 0.0; });
  throws([](TunerInputs& in) { in.delta1 = 0.0; });
  throws([](TunerInputs& in) { in.d = 0; });
  throws([](TunerInputs& in) { in.c = 0.5; });
  throws([](TunerInputs& in) { in.sigma_l1 = -1.0; });
  throws([](TunerInputs& in) { in.sigma_l1.reset(), in.sigma_kappa.reset(); });
  throws([](TunerInputs& in) { in.grad1_l1 = -1.0; });
  throws([](TunerInputs& in) { in.epsilon = 1e-30; });  // T and B beyond any run
  // M-SignSGD does not use δ.
  TunerInputs in = example();
  in.delta = 0.0;
  EXPECT_NO_THROW(tune_momentum_signsgd(in));
}

}  // namespace
}  // namespace signopt::optim
