"""Noise samplers filling numpy arrays in place."""
import numpy as np
import pytest

import signopt


def test_sampler_fills_float64_in_place_and_is_reproducible():
    model = signopt.noise("gaussian", scale=2.0)
    out = np.zeros(100_000)
    ret = model.sample(out, signopt.Rng(7))
    assert ret is out  # filled in place, not a copy
    assert abs(out.std() - 2.0) < 0.03 and abs(out.mean()) < 0.03
    again = model.sample(100_000, signopt.Rng(7))
    np.testing.assert_array_equal(out, again)
    other = model.sample(100_000, signopt.Rng(8))
    assert not np.array_equal(out, other)


def test_float32_is_drawn_then_rounded():
    model = signopt.noise("alpha-stable", alpha=1.5, scale=0.1)
    out32 = np.zeros(1000, dtype=np.float32)
    model.sample(out32, signopt.Rng(3))
    out64 = model.sample(1000, signopt.Rng(3))
    np.testing.assert_array_equal(out32, out64.astype(np.float32))


def test_bad_arrays_and_parameters_are_errors():
    model = signopt.noise("cauchy", scale=1.0)
    with pytest.raises(TypeError, match="float64 or float32"):
        model.sample(np.zeros(3, dtype=np.int64), signopt.Rng(0))
    ro = np.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(TypeError, match="read-only"):
        model.sample(ro, signopt.Rng(0))
    with pytest.raises(signopt.Error, match="alpha"):
        signopt.noise("alpha-stable", alpha=2.5)
    with pytest.raises(signopt.Error, match="unknown"):
        signopt.noise("laplace")
    assert model.moment_supremum == 1.0 and model.symmetric
    assert {m["name"] for m in signopt.noise_models()} >= {"gaussian", "alpha-stable", "cauchy"}
