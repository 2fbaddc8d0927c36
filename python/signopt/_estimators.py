"""The estimators as functions returning DataFrames and dicts (docs/estimate.md)."""
import pandas as pd

from . import _core
from ._source import config_source


def estimate_smoothness(config, *, problem=None, steps=0, seeds=0, alphas=(0.25, 0.5, 0.75), quantile=0.01,
                        threads=0):
    """Local smoothness L̂ against ‖∇f‖₂ along the study's own trajectories, and the (L0, L1)
    upper envelope (`signopt estimate smoothness`). config as for signopt.run; problem: a Python
    objective instead of the config's [problem]. steps: per trajectory (0: the config's T),
    seeds: trajectories per method (0: min(seeds, 3)), quantile: fraction of pairs allowed above
    the fitted line.

    Returns a dict: pairs (DataFrame: method, seed, step, alpha, grad_norm, smoothness,
    distance), fit (above all but a `quantile` fraction), strict_fit (above every pair),
    method_fits, max_smoothness (a lower bound on a plain L), analytic (closed-form constants
    or None), notes.
    """
    source, kind = config_source(config, problem)
    r = _core._estimate_smoothness(source, kind, problem, int(steps), int(seeds), list(alphas), float(quantile),
                                   int(threads))
    r["pairs"] = pd.DataFrame(r["pairs"])
    return r


def estimate_noise(config, *, problem=None, samples=10000, kappa=None, hill_k=0, at=(0,), method="",
                   coordinates=1000):
    """The oracle's gradient noise z = g − ∇f(x) at points of a run (`signopt estimate noise`):
    per coordinate the Hill and block-sum tail indices, E|z|^κ, σ, and symmetry tests.

    Returns a dict: method, seed, coordinates (analysed), oracle, points: one dict per iteration
    in `at` with noise (samples × coordinates array, no copy), coordinates (DataFrame) and
    summary (dict: medians and quantiles of the tail index, the κ allowed, ‖σ‖₁, ‖σ‖_κ, ...).
    """
    source, kind = config_source(config, problem)
    r = _core._estimate_noise(source, kind, problem, int(samples), kappa, int(hill_k), [int(a) for a in at],
                              method, int(coordinates))
    for p in r["points"]:
        p["coordinates"] = pd.DataFrame(p["coordinates"])
    return r
