"""Costs of the Python package (bench/README.md, "Python package"): opt.step per call, a Python
objective's overhead per evaluation, and the default study from Python against the CLI.

Run from the repository root after `make build`:
    PYTHONPATH=build/python /usr/bin/python3 bench/python_overhead.py [--skip-study]
Every figure is the median of several repetitions (times in the machine's current load).
"""
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

import signopt


def per_call(fn, calls, repeats=5):
    """Median over repeats of the wall time per call (seconds)."""
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        out.append((time.perf_counter() - t0) / calls)
    return statistics.median(out)


def optimizer_steps():
    print("opt.step (m-signsgd), per call; numpy's three-line update for comparison")
    for d, calls in ((10, 200_000), (1_000, 100_000), (1_000_000, 200)):
        rng = np.random.default_rng(0)
        x, g = rng.normal(size=d), rng.normal(size=d)
        opt = signopt.optimizer("m-signsgd", lr=1e-6, beta=0.9)
        step = per_call(lambda: opt.step(x, g), calls)
        m = np.zeros(d)

        def numpy_step():
            m.__imul__(0.9)
            m.__iadd__(0.1 * g)
            x.__isub__(1e-6 * np.sign(m))

        ref = per_call(numpy_step, calls)
        print(f"  d = {d:>9}: opt.step {step * 1e6:10.3f} us   numpy {ref * 1e6:10.3f} us")


def callable_overhead():
    print("Python objective: overhead per evaluation")
    d = 10
    a = np.arange(1.0, d + 1)

    def f(x):
        return float(0.5 * a @ (x * x)), a * x

    x = np.ones(d)
    direct = per_call(lambda: f(x), 100_000)
    obj = signopt.objective(f, dim=d)
    through = per_call(lambda: obj.value_and_gradient(x), 100_000)
    print(f"  f(x) called directly from Python:             {direct * 1e6:8.3f} us")
    print(f"  problem.value_and_gradient(x) (Python->C++->f): {through * 1e6:8.3f} us")
    # Inside the runner: the same quadratic as a callable and as the built-in problem.
    study = {"seed": 1, "seeds": 4, "iterations": 5000, "threads": 1, "evaluation": {"log_points": 20},
             "noise": {"model": "gaussian", "scale": 0.1},
             "method": [{"recipe": "m-signsgd", "lr": 0.001, "beta": 0.9}]}
    builtin = dict(study, problem={"type": "quadratic", "dim": d, "eigenvalues": list(a)})
    times_callable, times_builtin, calls = [], [], 0
    for _ in range(3):
        obj = signopt.objective(f, dim=d)
        t0 = time.perf_counter()
        signopt.run(study, problem=obj)
        times_callable.append(time.perf_counter() - t0)
        calls = obj.calls
        t0 = time.perf_counter()
        signopt.run(builtin)
        times_builtin.append(time.perf_counter() - t0)
    tc, tb = statistics.median(times_callable), statistics.median(times_builtin)
    print(f"  runner, d = {d}, {calls} evaluations: callable {tc:.3f} s, built-in {tb:.3f} s, "
          f"difference per evaluation {(tc - tb) / calls * 1e6:.2f} us (f itself: {direct * 1e6:.2f} us)")


def default_study(repeats=5):
    """Wall and CPU seconds (user + sys) of the whole call, CLI and Python interleaved. CPU time
    is the figure that survives a loaded machine; wall time is printed beside it."""
    print("default study (configs/mushrooms.toml), whole call, no plots: CLI vs signopt.run")
    cli = os.path.join("build", "signopt")
    wall = {"cli": [], "py": []}
    cpu = {"cli": [], "py": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(repeats):
            c0, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            subprocess.run([cli, "run", "configs/mushrooms.toml", "--out", f"{tmp}/cli{i}", "--quiet", "--no-plots"],
                           check=True)
            c1, t1 = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
            wall["cli"].append(t1 - t0)
            cpu["cli"].append(c1.ru_utime - c0.ru_utime + c1.ru_stime - c0.ru_stime)
            s0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
            signopt.run("configs/mushrooms.toml", out=f"{tmp}/py{i}")
            s1, t1 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
            wall["py"].append(t1 - t0)
            cpu["py"].append(s1.ru_utime - s0.ru_utime + s1.ru_stime - s0.ru_stime)
    for key, name in (("cli", "CLI        "), ("py", "signopt.run")):
        print(f"  {name}: wall {', '.join(f'{t:.2f}' for t in wall[key])} s (median {statistics.median(wall[key]):.2f}),"
              f" CPU {', '.join(f'{t:.2f}' for t in cpu[key])} s (median {statistics.median(cpu[key]):.2f})")
    print(f"  ratio Python/CLI: wall {statistics.median(wall['py']) / statistics.median(wall['cli']):.3f}, "
          f"CPU {statistics.median(cpu['py']) / statistics.median(cpu['cli']):.3f}")


if __name__ == "__main__":
    print(f"load average: {os.getloadavg()}")
    optimizer_steps()
    callable_overhead()
    if "--skip-study" not in sys.argv:
        default_study()
