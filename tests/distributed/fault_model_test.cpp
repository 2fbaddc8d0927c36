#include "signopt/distributed/fault_model.hpp"

#include <gtest/gtest.h>

#include "signopt/core/error.hpp"

namespace signopt {
namespace {

TEST(FaultModel, NamesRoundTripAndValidation) {
  for (FaultKind k : {FaultKind::None, FaultKind::Negate, FaultKind::RandomSign, FaultKind::Scaled})
    EXPECT_EQ(fault_kind_from_string(to_string(k)), k);
  EXPECT_THROW(fault_kind_from_string("byzantine"), Error);
  EXPECT_THROW((FaultSpec{5, FaultKind::Negate, 1.0}.validate(4)), Error);
  EXPECT_THROW((FaultSpec{-1, FaultKind::Negate, 1.0}.validate(4)), Error);
  EXPECT_THROW((FaultSpec{1, FaultKind::None, 1.0}.validate(4)), Error);
  EXPECT_THROW((FaultSpec{1, FaultKind::Scaled, -2.0}.validate(4)), Error);
  EXPECT_NO_THROW((FaultSpec{4, FaultKind::Negate, 1.0}.validate(4)));
}

TEST(FaultModel, AdversariesAreTheLastKWorkers) {
  const FaultSpec spec{2, FaultKind::Negate, 1.0};
  EXPECT_FALSE(spec.is_adversary(0, 5));
  EXPECT_FALSE(spec.is_adversary(2, 5));
  EXPECT_TRUE(spec.is_adversary(3, 5));
  EXPECT_TRUE(spec.is_adversary(4, 5));
  EXPECT_FALSE((FaultSpec{2, FaultKind::None, 1.0}.is_adversary(4, 5)));
}

TEST(FaultModel, AttacksTransformTheVector) {
  Vector u(4);
  u << 1.0, -2.0, 3.0, -4.0;
  Rng rng(3);
  Vector negated = u;
  apply_fault({1, FaultKind::Negate, 1.0}, rng, negated);
  EXPECT_EQ(negated, -u);
  Vector scaled = u;
  apply_fault({1, FaultKind::Scaled, 7.0}, rng, scaled);
  EXPECT_EQ(scaled, -7.0 * u);
  // Random signs keep magnitudes; over many coordinates about half the signs flip.
  Vector big = Vector::Ones(4000);
  apply_fault({1, FaultKind::RandomSign, 1.0}, rng, big);
  EXPECT_TRUE((big.array().abs() == 1.0).all());
  const double negatives = (big.array() < 0).cast<double>().sum();
  EXPECT_NEAR(negatives, 2000, 5 * std::sqrt(1000.0));  // sd = √(4000/4)
}

}  // namespace
}  // namespace signopt
