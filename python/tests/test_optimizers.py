"""Optimizers: opt.step(x, g) in place, bit-identical to the C++ recipe; state saved and restored."""
import numpy as np
import pytest

import signopt

ALL = [m["name"] for m in signopt.methods()]
PARAMS = {"lr": 0.05}


def gradients(steps=25, d=13, seed=1):
    rng = np.random.default_rng(seed)
    g = rng.standard_cauchy(size=(steps, d))
    g[3, 2] = 0.0  # sign(0) = 0 must go through the same path
    return g


@pytest.mark.parametrize("name", ALL)
def test_every_recipe_is_bit_identical_to_optimizer_update(name):
    grads = gradients()
    x0 = np.linspace(-1, 1, grads.shape[1])
    reference = signopt._core._reference_updates(name, x0, grads, **PARAMS)
    opt = signopt.optimizer(name, **PARAMS)
    x = x0.copy()
    for k, g in enumerate(grads):
        opt.step(x, g)
        assert np.array_equal(x, reference[k]), f"{name}: step {k + 1} differs"
    assert opt.iteration == len(grads)


def test_m_signsgd_matches_its_formula_bit_for_bit():
    grads = gradients()
    beta, lr = 0.9, 0.01
    opt = signopt.optimizer("m-signsgd", lr=lr, beta=beta)
    x = np.zeros(grads.shape[1])
    xs, m = x.copy(), np.zeros_like(x)
    for g in grads:
        opt.step(x, g)
        m = beta * m + (1 - beta) * g
        xs = xs - lr * np.sign(m)
        assert np.array_equal(x, xs)
    np.testing.assert_array_equal(opt.state_dict()["momentum"], m)


def test_the_check_can_fail():
    # A different β gives different iterates: the comparison above is not vacuous.
    grads = gradients()
    a, b = np.zeros(grads.shape[1]), np.zeros(grads.shape[1])
    oa, ob = signopt.optimizer("m-signsgd", beta=0.9), signopt.optimizer("m-signsgd", beta=0.8)
    for g in grads:
        oa.step(a, g)
        ob.step(b, g)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("name", ["m-signsgd", "adam", "ef-signsgd", "lion", "heavy-ball", "sgd"])
def test_state_dict_round_trip_continues_identically(name, tmp_path):
    grads = gradients(30)
    x = np.ones(grads.shape[1])
    opt = signopt.optimizer(name, lr=0.01)
    for g in grads[:10]:
        opt.step(x, g)
    state = opt.state_dict()
    np.savez(tmp_path / "state.npz", **{k: v for k, v in state.items() if isinstance(v, np.ndarray)})
    saved = dict(np.load(tmp_path / "state.npz"))
    saved.update({k: v for k, v in state.items() if not isinstance(v, np.ndarray)})
    x_saved = x.copy()
    for g in grads[10:]:
        opt.step(x, g)
    resumed = signopt.optimizer(name, lr=0.01)
    resumed.load_state_dict(saved)
    assert resumed.iteration == 10
    for g in grads[10:]:
        resumed.step(x_saved, g)
    assert np.array_equal(x, x_saved)


def test_step_refuses_what_it_could_not_update_in_place():
    opt = signopt.optimizer("signsgd", lr=0.1)
    with pytest.raises(TypeError, match="float64"):
        opt.step(np.zeros(3, dtype=np.float32), np.ones(3))
    with pytest.raises(TypeError, match="C-contiguous"):
        opt.step(np.zeros((3, 2))[:, 0], np.ones(3))
    with pytest.raises(TypeError, match="numpy array"):
        opt.step([0.0, 0.0], np.ones(2))
    x = np.zeros(3)
    opt.step(x, np.array([1.0, -2.0, 0.0], dtype=np.float32))  # g may be float32
    np.testing.assert_array_equal(x, [-0.1, 0.1, 0.0])
    with pytest.raises(ValueError, match="d = 3"):
        opt.step(np.zeros(4), np.ones(4))
    with pytest.raises(ValueError, match="entries"):
        opt.step(x, np.ones(4))


def test_bad_names_and_parameters_are_errors_listing_what_is_valid():
    with pytest.raises(signopt.Error, match="unknown optimizer 'signum'.*m-signsgd"):
        signopt.optimizer("signum")
    with pytest.raises(signopt.Error, match="beta"):
        signopt.optimizer("m-signsgd", beta=1.5)
    with pytest.raises(signopt.Error, match="momentum"):
        signopt.optimizer("sgd", momentum=0.9)
    with pytest.raises(ValueError, match="cannot be loaded"):
        signopt.optimizer("adam").load_state_dict(signopt.optimizer("lion").state_dict())


def test_schedules_and_batches_are_readable():
    opt = signopt.optimizer("minibatch-signsgd", lr=0.1, batch=4, **{"batch-schedule": "linear"})
    assert opt.batch_size(3) == 12
    assert opt.step_size(5) == 0.1


@pytest.mark.parametrize("name", ["m-signsgd", "ef-signsgd", "m-clip-sgd", "adamw"])
def test_step_parts_is_step_on_the_concatenation(name):
    grads = gradients(8, d=13)
    whole, parts = signopt.optimizer(name, lr=0.05), signopt.optimizer(name, lr=0.05)
    x = np.linspace(-1, 1, 13)
    pieces = [x[:5].copy(), x[5:6].copy().reshape(1, 1), x[6:].copy()]
    for g in grads:
        whole.step(x, g)
        assert parts.step_parts(pieces, [g[:5], g[5:6].reshape(1, 1), g[6:]])
        assert np.array_equal(np.concatenate([p.reshape(-1) for p in pieces]), x)
    for key, value in whole.state_dict().items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(parts.state_views()[key], value)


def test_step_parts_refuses_what_it_cannot_update_in_place():
    opt = signopt.optimizer("signsgd")
    x32, x64 = np.zeros(3, dtype=np.float32), np.zeros(3)
    with pytest.raises(TypeError, match="piece 1 has dtype float64, expected float32"):
        opt.step_parts([x32, x64], [x32, x64])
    with pytest.raises(TypeError, match="piece 0 must be C-contiguous"):
        opt.step_parts([np.zeros(6)[::2]], [np.ones(3)])
    with pytest.raises(ValueError, match="gradient 0 has 2 entries, its piece 3"):
        opt.step_parts([x64], [np.ones(2)])
    assert not opt.step_parts([x64], [None])  # no gradient: no step
    assert opt.iteration == 0
