"""Built-in problems and Python callables: value and gradient on numpy vectors."""
import numpy as np
import pytest

import signopt
from conftest import MUSHROOMS


def quadratic():
    return signopt.problem({"type": "quadratic", "dim": 4, "eigenvalues": [1.0, 2.0, 3.0, 4.0]})


def test_quadratic_value_and_gradient_match_the_closed_form():
    p = quadratic()
    x = np.array([1.0, -1.0, 0.5, 2.0])
    a = np.array([1.0, 2.0, 3.0, 4.0])
    assert p.dim == 4
    assert p.value(x) == pytest.approx(0.5 * np.sum(a * x * x))
    np.testing.assert_allclose(p.gradient(x), a * x)
    f, g = p.value_and_gradient(x.astype(np.float32))  # float32 input is converted once
    assert f == pytest.approx(0.5 * np.sum(a * x * x))
    np.testing.assert_allclose(g, a * x)
    assert g.flags.writeable  # the gradient is a new array handed over, not a view of state


def test_logistic_regression_gradient_matches_finite_differences():
    p = signopt.problem({"type": "logistic-regression", "data": MUSHROOMS, "lambda": 0.1, "test_fraction": 0.2})
    assert p.dim == 112 and p.n_samples == 6499
    rng = np.random.default_rng(0)
    x = rng.normal(size=p.dim) * 0.1
    g = p.gradient(x)
    h = 1e-6
    for i in (0, 7, 50, 111):
        e = np.zeros(p.dim)
        e[i] = h
        fd = (p.value(x + e) - p.value(x - e)) / (2 * h)
        assert g[i] == pytest.approx(fd, rel=1e-5, abs=1e-8)
    train = p.train
    assert train["X"].shape == (6499, 112)
    assert set(p.test_metrics(x)) >= {"test_loss", "test_accuracy"}
    # The minibatch gradient over every sample is the full gradient.
    np.testing.assert_allclose(p.minibatch_gradient(x, list(range(p.n_samples))), g, rtol=1e-10, atol=1e-13)


def test_bad_problem_table_names_the_key():
    with pytest.raises(ValueError, match="unknown key 'lamda'"):
        signopt.problem({"type": "logistic-regression", "data": MUSHROOMS, "lamda": 1.0})
    with pytest.raises(signopt.Error, match="no such"):
        signopt.problem({"type": "logistic-regression", "data": "missing.libsvm"})


def test_callable_objective_is_a_problem():
    calls = []

    def f(x):
        calls.append(x.copy())
        return float(np.sum(np.cosh(x))), np.sinh(x)

    p = signopt.objective(f, dim=3, name="cosh")
    x = np.array([0.1, -0.2, 0.3])
    assert p.is_callable and p.dim == 3 and p.n_samples == 0
    assert p.value(x) == pytest.approx(np.sum(np.cosh(x)))
    np.testing.assert_allclose(p.gradient(x), np.sinh(x))
    assert p.calls == 2
    np.testing.assert_array_equal(calls[0], x)


def test_callable_errors_are_clear():
    p = signopt.objective(lambda x: (0.0, np.zeros(2)), dim=3, name="short")
    with pytest.raises(signopt.Error, match="1-D array of 3 numbers"):
        p.gradient(np.zeros(3))
    p = signopt.objective(lambda x: 1.0, dim=3, name="scalar")
    with pytest.raises(signopt.Error, match=r"tuple \(value, gradient\)"):
        p.value(np.zeros(3))

    def raises(x):
        raise RuntimeError("inside f")

    with pytest.raises(RuntimeError, match="inside f"):
        signopt.objective(raises, dim=2).value(np.zeros(2))
    with pytest.raises(signopt.Error, match="minibatch sampling needs a finite sum"):
        signopt.objective(lambda x: (0.0, x), dim=2).minibatch_gradient(np.zeros(2), [0])


def test_finite_sum_callable_gets_the_batch():
    A = np.arange(12.0).reshape(4, 3)
    seen = []

    def f(x, batch):
        seen.append(None if batch is None else batch.tolist())
        rows = A if batch is None else A[batch]
        r = rows @ x
        return float(0.5 * np.mean(r * r)), rows.T @ r / len(rows)

    p = signopt.objective(f, dim=3, n_samples=4)
    x = np.array([1.0, 0.0, -1.0])
    g = p.minibatch_gradient(x, [1, 3])
    rows = A[[1, 3]]
    np.testing.assert_allclose(g, rows.T @ (rows @ x) / 2)
    p.value(x)
    assert seen == [[1, 3], None]
