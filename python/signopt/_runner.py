"""signopt.run: a study (config file, TOML text or dict) run by the C++ runner, its outputs as
pandas DataFrames."""
import json
import os
import shutil
import tempfile

import pandas as pd

from . import _core
from ._source import config_source


def _read_table(directory, name):
    # round_trip: every number reads back as the double the runner wrote (17 significant digits);
    # pandas' default parser may differ in the last bit.
    return pd.read_csv(os.path.join(directory, name), float_precision="round_trip")


def _traces_frame(t):
    # From the runner's memory: the values traces.csv holds, as exact doubles (counters such as
    # oracle_calls are float64 here).
    frame = pd.DataFrame(t["values"], columns=t["metrics"], copy=False)
    frame.insert(0, "iteration", t["iteration"])
    frame.insert(0, "seed", t["seed"])
    frame.insert(0, "method", t["method"])
    return frame


class Results:
    """What a study produced: the traces from the runner's memory, the other tables read from the
    files the runner wrote (the CLI's files, docs/outputs.md).

    traces   tidy table: method, seed, iteration, one column per metric
    runs     one row per run: status, output point and its metrics, totals
    bands    per method, metric and iteration across seeds: count, mean, median, band quantiles
             (the config's [summary] band) and the high-probability quantile
    summary  per method and metric: statistics of the final values across seeds, and the seed
             paper's table columns
    steps    method, seed, iteration, minibatch_loss: the loss of every step's gradient samples
    manifest the manifest (config, version, seeds, timings, machine) as a dict
    methods  per method: label, recipe, resolved parameters, how theory values were obtained,
             M (workers, 0 for single process) and how it ran (execution)
    theory_check  the check of minibatch-signsgd / m-signsgd runs against the theorems' bounds
             (None when the study has no such method)
    """

    def __init__(self, info, directory):
        self.out = info["out"] if directory is not None else None
        self.summary_md = info["summary_md"]
        self.wall_seconds = info["wall_seconds"]
        self.threads = info["threads"]
        self.resumed_runs = info["resumed_runs"]
        self.problem = info["problem"]
        self.noise = info["noise"]
        self.f_star = info["f_star"]
        self.f_star_note = info["f_star_note"]
        self.methods = pd.DataFrame(info["methods"])
        d = info["out"]
        self.traces = _traces_frame(info["traces"])
        self.runs = _read_table(d, "runs.csv")
        self.bands = _read_table(d, "bands.csv")
        self.summary = _read_table(d, "summary.csv")
        # The loss of every step's gradient samples (docs/outputs.md, steps.csv).
        self.steps = _read_table(d, "steps.csv")
        # The theory check of minibatch-signsgd and m-signsgd methods against Theorems 1 and 2
        # (docs/estimate.md), when the study has such a method.
        check = os.path.join(d, "theory_check.csv")
        self.theory_check = _read_table(d, "theory_check.csv") if os.path.exists(check) else None
        with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.metrics = [c for c in self.traces.columns if c not in ("method", "seed", "iteration")]

    def __repr__(self):
        return (f"<signopt.Results {len(self.runs)} runs of {self.methods['label'].tolist()} "
                f"in {self.wall_seconds:.2f} s>")

    def _repr_markdown_(self):
        return self.summary_md

    def plot(self, metric="train_loss", ax=None, x="iteration", band=True, log=None, methods=None):
        """The CLI's figure for one metric: per method, the across-seed mean as a line and the
        config's quantile band as a shaded area (bands.csv), against iterations (or another
        trace column such as oracle_calls, epochs, uplink_bits or seconds). Losses and gradient norms on a log
        scale unless log is given. Returns the matplotlib Axes."""
        import matplotlib.pyplot as plt

        if metric not in self.metrics:
            raise ValueError(f"unknown metric '{metric}' (this study measures: {', '.join(self.metrics)})")
        if ax is None:
            _, ax = plt.subplots(figsize=(6.4, 4.0))
        b = self.bands[self.bands["metric"] == metric]
        low, high = self.manifest.get("band", [None, None])[:2]
        for label in methods or list(dict.fromkeys(b["method"])):
            m = b[b["method"] == label].sort_values("iteration")
            xs = m["iteration"].to_numpy()
            if x != "iteration":
                # The x column's across-seed mean at each iteration (e.g. oracle calls, bits).
                t = self.traces[self.traces["method"] == label].groupby("iteration")[x].mean()
                xs = t.reindex(m["iteration"]).to_numpy()
            line, = ax.plot(xs, m["mean"], label=label)
            if band:
                ax.fill_between(xs, m["lower"], m["upper"], color=line.get_color(), alpha=0.2, linewidth=0)
        if log is None:
            log = metric.startswith(("train_loss", "train_objective", "train_gap", "grad_norm", "test_loss"))
        if log:
            ax.set_yscale("log")
        ax.set_xlabel(x)
        ax.set_ylabel(metric)
        title = f"{metric}: mean over seeds"
        if band:
            title += f", band: {low:g}-{high:g} quantiles"
        ax.set_title(title)
        ax.legend()
        return ax


def run(config, *, out=None, problem=None, seeds=None, threads=0, resume=False, force=False, progress=False):
    """Runs a study exactly as `signopt run` does and returns its Results.

    config   a TOML file name, TOML text, or a dict with the config file's schema (validated by
             the same loader: a bad key is a signopt.Error, a ValueError, naming it)
    out      directory for the CLI's output files (tables, runs/, manifest; no gnuplot plots);
             default: a temporary directory, removed once the tables are read
    problem  a Python objective (signopt.objective) to minimise instead of a built-in problem;
             the config's [problem] table may then hold only `start`
    seeds    runs per method (overrides the config), threads: worker threads (0: the config's,
             else all cores; 1 with a Python objective), resume/force: as the CLI's flags

    Ctrl-C stops the runs between steps and raises KeyboardInterrupt (with out given, finished
    runs stay there for resume=True).
    """
    source, kind = config_source(config, problem)
    temporary = out is None
    directory = tempfile.mkdtemp(prefix="signopt-run-") if temporary else os.fspath(out)
    try:
        info = _core._run(source, kind, directory, temporary, problem, seeds, int(threads), bool(resume),
                          bool(force), bool(progress))
        return Results(info, None if temporary else directory)
    finally:
        if temporary:
            shutil.rmtree(directory, ignore_errors=True)
