#!/usr/bin/env python3
"""Cross-check `signopt noise --model alpha-stable` against scipy.stats.levy_stable.

Draws samples with the CLI and runs a Kolmogorov-Smirnov test against scipy's CDF in its S1
parameterisation (scipy's default) and, for contrast, in S0: the S1 p-values should look
uniform, the S0 ones should be tiny whenever beta != 0. Needs numpy and scipy (Debian:
python3-scipy); not part of the test suite, which must run without Python.

Usage: scripts/noise_scipy_crosscheck.py [path/to/signopt]
"""
import subprocess
import sys

import numpy as np
from scipy import stats

CLI = sys.argv[1] if len(sys.argv) > 1 else "build/signopt"
CASES = [(1.5, 0, 0.1), (1.6, 0, 0.5), (1.5, 0.5, 1.0), (0.8, -0.7, 2.0), (1.0, 0.5, 0.5),
         (1.2, 1.0, 0.3), (1.9, -0.3, 1.0)]

print(f"scipy {stats.levy_stable.parameterization=}")
for alpha, beta, scale in CASES:
    out = subprocess.run([CLI, "noise", "--model", "alpha-stable", "--alpha", str(alpha), "--beta",
                          str(beta), "--scale", str(scale), "--n", "4000", "--seed", "3"],
                         capture_output=True, text=True, check=True).stdout
    x = np.array([float(v) for v in out.split()])
    p = {}
    for parameterisation in ("S1", "S0"):
        stats.levy_stable.parameterization = parameterisation
        p[parameterisation] = stats.kstest(
            x, lambda v: stats.levy_stable.cdf(v, alpha, beta, 0, scale)).pvalue
    stats.levy_stable.parameterization = "S1"
    print(f"alpha={alpha} beta={beta} scale={scale}: KS p-value vs S1 {p['S1']:.3g}, "
          f"vs S0 {p['S0']:.3g}")
