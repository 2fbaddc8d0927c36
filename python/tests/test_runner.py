"""signopt.run: configs as files, text and dicts; the same validation; DataFrames; errors; Ctrl-C."""
import os
import signal
import threading
import time

import numpy as np
import pandas as pd
import pytest

import signopt
from conftest import MUSHROOMS, REPO

QUARTIC = os.path.join(REPO, "configs", "quartic.toml")


def timeless(df):
    """A trace without its clock columns (seconds of the run), which differ between runs."""
    return df.drop(columns=[c for c in ("seconds",) if c in df.columns])


def small_study(**over):
    study = {
        "name": "small",
        "seed": 3,
        "seeds": 3,
        "iterations": 60,
        "problem": {"type": "logistic-regression", "data": MUSHROOMS, "lambda": 0.1, "test_fraction": 0.2},
        "noise": {"model": "alpha-stable", "alpha": 1.5, "scale": 0.1},
        "evaluation": {"every": 10},
        "method": [
            {"label": "SignSGD", "recipe": "signsgd", "lr": 0.002},
            {"label": "M-SignSGD", "recipe": "m-signsgd", "lr": 0.002, "beta": 0.9},
        ],
    }
    study.update(over)
    return study


def test_dict_text_and_file_give_the_same_runs(tmp_path):
    study = small_study()
    from_dict = signopt.run(study, threads=2)
    text = signopt.config_text(study)
    from_text = signopt.run(text, threads=1)
    path = tmp_path / "study.toml"
    path.write_text(text)
    from_file = signopt.run(str(path), out=tmp_path / "out")
    for r in (from_text, from_file):
        pd.testing.assert_frame_equal(timeless(r.traces), timeless(from_dict.traces), check_exact=True)
    t = from_dict.traces
    assert list(t.columns[:3]) == ["method", "seed", "iteration"]
    assert set(t["method"]) == {"SignSGD", "M-SignSGD"} and set(t["seed"]) == {0, 1, 2}
    assert sorted(set(t["iteration"])) == [0, 10, 20, 30, 40, 50, 60]
    assert {"train_loss", "train_gap", "test_accuracy"} <= set(from_dict.metrics)
    assert len(from_dict.runs) == 6 and (from_dict.runs["status"] == "ok").all()
    assert {"method", "metric"} <= set(from_dict.summary.columns)
    assert {"mean", "median"} <= set(from_dict.bands.columns)
    assert from_dict.manifest["config"]  # the manifest as a dict
    assert from_dict.f_star is not None
    # How each method ran, as in the manifest.
    assert list(from_dict.methods["execution"]) == ["single process"] * 2
    assert list(from_dict.methods["workers"]) == [0, 0]
    assert (tmp_path / "out" / "traces.csv").exists()  # out= keeps the CLI's files
    # Every step's loss: 60 steps per run, full sampling: the data loss train_loss at evaluations.
    s = from_dict.steps
    assert len(s) == 6 * 60
    at = s[(s["method"] == "SignSGD") & (s["seed"] == 0) & (s["iteration"] == 10)]["minibatch_loss"].item()
    tr = t[(t["method"] == "SignSGD") & (t["seed"] == 0) & (t["iteration"] == 10)]["train_loss"].item()
    assert at == pytest.approx(tr, rel=1e-14)


def test_python_run_equals_the_cli_run(tmp_path):
    import subprocess

    cli = os.environ.get("SIGNOPT_CLI", os.path.join(REPO, "build", "signopt"))  # ctest sets it
    subprocess.run([cli, "run", QUARTIC, "--out", str(tmp_path / "cli"), "--quiet", "--no-plots"], check=True)
    cli_traces = pd.read_csv(tmp_path / "cli" / "traces.csv", float_precision="round_trip")
    py = signopt.run(QUARTIC)
    # The same numbers bit for bit (counters are float64 from memory, int64 from the CSV).
    pd.testing.assert_frame_equal(timeless(py.traces), timeless(cli_traces), check_exact=True, check_dtype=False)


def test_a_bad_key_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="unknown key 'lamda' in \\[problem\\]"):
        signopt.run(small_study(problem={"type": "quadratic", "dim": 3, "lamda": 1}))
    with pytest.raises(signopt.Error, match="iterations"):
        signopt.run(small_study(iterations=0))
    with pytest.raises(signopt.Error, match="unknown optimizer"):
        signopt.run(small_study(method=[{"recipe": "nope"}]))
    with pytest.raises(TypeError, match="TOML value"):
        signopt.run(small_study(seed=None))
    with pytest.raises(signopt.Error, match="no such config file"):
        signopt.run("configs/missing.toml")


def test_plot_draws_mean_and_band():
    import matplotlib

    matplotlib.use("Agg")
    r = signopt.run(small_study())
    ax = r.plot("train_loss")
    assert len(ax.lines) == 2 and len(ax.collections) == 2
    assert ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="unknown metric"):
        r.plot("nope")


def test_ctrl_c_interrupts_a_run_cleanly(tmp_path):
    study = small_study(iterations=200_000, seeds=2, evaluation={"every": 100_000})
    # 4 runs × 200 000 steps on Mushrooms take minutes; the interrupt comes after 1 s.
    timer = threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        signopt.run(study, out=tmp_path / "stopped")
    elapsed = time.perf_counter() - start
    timer.cancel()
    assert (tmp_path / "stopped" / "runs").is_dir()  # the runner had started the runs
    assert elapsed < 30, f"the run took {elapsed:.1f} s to stop"
    assert not (tmp_path / "stopped" / "traces.csv").exists()  # no half-written tables


def quadratic_objective(d=5):
    a = np.arange(1.0, d + 1)

    def f(x):
        return float(0.5 * np.sum(a * x * x)), a * x

    return signopt.objective(f, dim=d, x0=np.ones(d), lower_bound=0.0, name="diag-quadratic")


def test_a_callable_runs_like_the_built_in_problem():
    d = 5
    study = {
        "seed": 1, "seeds": 2, "iterations": 40,
        "noise": {"model": "gaussian", "scale": 0.1},
        "problem": {"start": 1.0},
        "evaluation": {"every": 5},
        "method": [{"label": "M-SignSGD", "recipe": "m-signsgd", "lr": 0.01, "beta": 0.9}],
    }
    obj = quadratic_objective(d)
    mine = signopt.run(study, problem=obj)
    builtin = dict(study, problem={"type": "quadratic", "dim": d, "eigenvalues": list(np.arange(1.0, d + 1)),
                                   "start": 1.0})
    ref = signopt.run(builtin)
    np.testing.assert_allclose(mine.traces["train_objective"], ref.traces["train_objective"], rtol=1e-12)
    assert "diag-quadratic" in mine.problem
    assert obj.calls > 0
    with pytest.raises(signopt.Error, match="takes only 'start'"):
        signopt.run(dict(study, problem={"type": "quadratic"}), problem=obj)
    with pytest.raises(signopt.Error, match="only for a Python objective"):
        signopt.run(builtin, problem=signopt.problem(builtin["problem"]))


def test_an_exception_in_the_callable_stops_the_run():
    def f(x):
        raise ZeroDivisionError("boom")

    obj = signopt.objective(f, dim=2)
    with pytest.raises(ZeroDivisionError, match="boom"):
        signopt.run({"iterations": 5, "seeds": 1, "method": [{"recipe": "sgd"}]}, problem=obj)


def test_theory_words_are_tuned_for_a_callable_as_for_a_built_in_problem():
    # lr = "theory" and beta = "theory" resolve through the tuner with the study's given
    # constants, Δ1 = f(x¹) − lower_bound = 7.5 and ‖∇f(x¹)‖₁ = 15 of the callable: the values
    # equal signopt.tune's with those inputs.
    obj = quadratic_objective(5)
    study = {"seeds": 2, "iterations": 100, "noise": {"model": "gaussian", "scale": 0.1},
             "theory": {"constants": "given", "L0": 5.0, "L1": 0.0, "epsilon": 1.0},
             "method": [{"label": "T", "recipe": "m-signsgd", "lr": "theory", "beta": "theory"}]}
    r = signopt.run(study, problem=obj)
    tuned = signopt.tune(d=5, L0=5.0, L1=0.0, delta1=7.5, sigma=0.1, kappa=2.0, epsilon=1.0, grad1_l1=15.0,
                         method="m-signsgd")["m-signsgd"]
    notes = " ".join(r.methods.loc[0, "notes"])
    assert f"lr = {tuned['lr']!r}" in notes and f"beta = {tuned['beta']!r}" in notes


def test_the_theory_check_runs_on_a_callable():
    # f = ½ Σ a_i x_i² with a = 1..5 is L-smooth with L = 5 = L0 (L1 = 0): the given constants
    # are true, so Theorem 2's bound must lie above the empirical running mean; at the start
    # that mean is ‖∇f(x¹)‖₁ = Σ a_i = 15 (x¹ = 1).
    study = {"seeds": 10, "iterations": 100, "noise": {"model": "gaussian", "scale": 0.1},
             "theory": {"constants": "given", "L0": 5.0, "L1": 0.0, "epsilon": 1.0},
             "method": [{"label": "T", "recipe": "m-signsgd", "lr": "theory", "beta": "theory"}]}
    check = signopt.run(study, problem=quadratic_objective(5)).theory_check
    assert check is not None and set(check["method"]) == {"T"}
    assert check.loc[check["iteration"] == 0, "empirical"].iloc[0] == pytest.approx(15.0)
    assert (check["bound_stated"] >= check["empirical"]).all()
    # A study without minibatch-signsgd or m-signsgd has no check.
    assert signopt.run(small_study(method=[{"recipe": "signsgd", "lr": 0.002}])).theory_check is None
