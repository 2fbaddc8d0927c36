"""signopt: sign-based stochastic optimisation, from Python.

The C++ library's data readers, noise samplers, problems, optimizers, runner, tuner and
estimators, on numpy arrays (docs/python.md). Errors in what you pass (a config key, a file, a
parameter) raise signopt.Error, a ValueError, with the library's message.
"""
from ._core import (  # noqa: F401  (the public API)
    Error,
    NoiseModel,
    Optimizer,
    Problem,
    Rng,
    __version__,
    config_text,
    methods,
    noise,
    noise_models,
    objective,
    optimizer,
    problem,
    read_fashion_mnist,
    read_idx,
    read_libsvm,
    seed_step_sizes,
    tune,
)
from ._estimators import estimate_noise, estimate_smoothness  # noqa: F401
from ._runner import Results, run  # noqa: F401

__all__ = [
    "Error", "NoiseModel", "Optimizer", "Problem", "Results", "Rng", "__version__", "config_text",
    "estimate_noise", "estimate_smoothness", "methods", "noise", "noise_models", "objective",
    "optimizer", "problem", "read_fashion_mnist", "read_idx", "read_libsvm", "run",
    "seed_step_sizes", "tune",
]
