"""signopt.tune, estimate_smoothness and estimate_noise as functions."""
import math

import numpy as np
import pytest

import signopt
from test_runner import quadratic_objective, small_study


def test_tune_returns_both_methods_with_their_bounds():
    t = signopt.tune(d=112, L0=0.0, L1=5.58, delta1=50.0, sigma=0.1, kappa=1.5, delta=0.05, epsilon=1.0,
                     grad1_l1=10.0)
    mb, mom = t["minibatch-signsgd"], t["m-signsgd"]
    # Theorem 1's step in the large-ε regime: γ = 1/(48 L1 d^{3/2} log(1/δ)).
    assert mb["regime"] == 1
    assert mb["lr"] == pytest.approx(1 / (48 * 5.58 * 112 ** 1.5 * math.log(1 / 0.05)))
    assert mb["batch"] >= 1 and mb["iterations"] >= 1 and mb["bound"]["total"] > 0
    assert 0 < mom["beta"] < 1 and mom["lr"] <= mom["lr_max"] * (1 + 1e-9)
    with pytest.raises(signopt.Error, match="kappa|κ"):
        signopt.tune(d=10, L0=1.0, L1=1.0, delta1=1.0, sigma=0.1, kappa=2.5, delta=0.05, epsilon=0.1)
    with pytest.raises(signopt.Error, match="delta"):
        signopt.tune(d=10, L0=1.0, L1=1.0, delta1=1.0, sigma=0.1, epsilon=0.1, method="minibatch-signsgd")


def test_seed_step_sizes_match_the_formulas():
    s = signopt.seed_step_sizes(R=math.sqrt(21), lambda_=1.0, d=112, delta=0.99)
    assert s["L"] == pytest.approx(22.0)
    assert s["gamma_L"] == pytest.approx(1 / (22 * 112 ** 1.5 * math.log(1 / 0.99)))


def test_smoothness_pairs_lie_below_the_strict_envelope():
    r = signopt.estimate_smoothness(small_study(), steps=30, seeds=1)
    pairs = r["pairs"]
    assert len(pairs) > 0 and set(pairs["method"]) == {"SignSGD", "M-SignSGD"}
    fit = r["strict_fit"]
    assert (pairs["smoothness"] <= fit["L0"] + fit["L1"] * pairs["grad_norm"] + 1e-9).all()
    # Logistic regression's proved constant bounds every measured L̂.
    assert r["analytic"] is not None
    assert pairs["smoothness"].max() <= r["analytic"]["L0"] * (1 + 1e-9)


def test_smoothness_of_a_callable_quadratic_is_its_largest_eigenvalue_at_most():
    study = {"seeds": 1, "iterations": 20, "method": [{"recipe": "sgd", "lr": 0.05}]}
    r = signopt.estimate_smoothness(study, problem=quadratic_objective(5), steps=20, seeds=1)
    L = r["pairs"]["smoothness"]
    assert (L <= 5.0 + 1e-9).all() and L.max() > 1.0


def test_noise_of_gaussian_oracle_has_the_given_sigma():
    study = small_study(noise={"model": "gaussian", "scale": 0.5})
    r = signopt.estimate_noise(study, samples=4000, kappa=2.0, coordinates=20)
    p = r["points"][0]
    assert p["noise"].shape == (4000, 20) and not p["noise"].flags.writeable
    sigma = p["coordinates"]["sigma"]
    assert np.allclose(sigma, 0.5, rtol=0.06)
    assert p["summary"]["kappa"] == 2.0
