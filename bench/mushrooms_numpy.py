#!/usr/bin/python3
"""The default study (configs/mushrooms.toml) written the straightforward way in numpy/scipy.

This is the reference for the speed goal of issue 5: `signopt run configs/mushrooms.toml` must
be at least 50x faster than this script on the same machine. It does the same work per step as
signopt: L2 logistic regression (lambda = 1) on Mushrooms with an 80/20 split, the full
gradient plus symmetric alpha-stable noise (alpha = 1.5, scale 0.1, scipy's levy_stable), and
SGD, M-SGD, SignSGD and M-SignSGD (beta = 0.9) with the step sizes signopt's tuner gives
(gamma_L and gamma_L1 with delta = 0.99), 10 seeds x 1000 steps, recording the training loss,
both gradient norms, the running mean of the l1 norm, and test loss and accuracy at every step.
Then the across-seed mean, 10%/90% quantiles per step and final values, as signopt reports.

Run (needs python3-numpy and python3-scipy: scripts/bootstrap --bench):
    /usr/bin/time -v /usr/bin/python3 bench/mushrooms_numpy.py
"""
import argparse
import os
import time

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from scipy.stats import levy_stable

HERE = os.path.dirname(os.path.abspath(__file__))


def load_libsvm(path):
    labels, indptr, indices, values = [], [0], [], []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            labels.append(float(parts[0]))
            for item in parts[1:]:
                j, v = item.split(":")
                indices.append(int(j) - 1)
                values.append(float(v))
            indptr.append(len(indices))
    x = sp.csr_matrix((values, indices, indptr))
    y = np.asarray(labels)
    y = np.where(y == y.min(), -1.0, 1.0)
    return x, y


def loss_and_gradient(x, y, w, lam):
    margins = -y * (x @ w)
    loss = np.mean(np.logaddexp(0.0, margins)) + 0.5 * lam * (w @ w)
    coef = -y * expit(margins)
    grad = x.T @ coef / x.shape[0] + lam * w
    return loss, grad


def test_metrics(x, y, w):
    z = x @ w
    loss = np.mean(np.logaddexp(0.0, -y * z))
    accuracy = np.mean(np.where(z >= 0, 1.0, -1.0) == y)
    return loss, accuracy


def run(method, lr, beta, x, y, xt, yt, lam, steps, seed):
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    w = np.zeros(d)
    m = np.zeros(d)
    trace = np.empty((steps + 1, 6))
    l1_sum = 0.0
    for k in range(steps + 1):
        loss, grad = loss_and_gradient(x, y, w, lam)
        l1 = np.abs(grad).sum()
        l1_sum += l1
        tl, ta = test_metrics(xt, yt, w)
        trace[k] = (loss, l1, np.linalg.norm(grad), l1_sum / (k + 1), tl, ta)
        if k == steps:
            break
        g = grad + levy_stable.rvs(1.5, 0.0, scale=0.1, size=d, random_state=rng)
        if method in ("M-SGD", "M-SignSGD"):
            m = beta * m + (1.0 - beta) * g
            g = m
        w = w - lr * (np.sign(g) if method in ("SignSGD", "M-SignSGD") else g)
    return trace


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.path.join(HERE, "..", "data", "mushrooms.libsvm"))
    p.add_argument("--seeds", type=int, default=10)
    p.add_argument("--steps", type=int, default=1000)
    args = p.parse_args()

    start = time.perf_counter()
    x, y = load_libsvm(args.data)
    order = np.random.default_rng(0).permutation(x.shape[0])
    n_test = int(round(0.2 * x.shape[0]))
    test, train = order[:n_test], order[n_test:]
    xt, yt, x, y = x[test], y[test], x[train], y[train]
    lam = 1.0
    gamma_l, gamma_l1 = 0.0038156603600980363, 0.01503688127292304  # from signopt's tuner
    methods = [("SGD", gamma_l, 0.0), ("M-SGD", gamma_l, 0.9), ("SignSGD", gamma_l1, 0.0),
               ("M-SignSGD", gamma_l1, 0.9)]
    for name, lr, beta in methods:
        traces = np.stack([run(name, lr, beta, x, y, xt, yt, lam, args.steps, seed)
                           for seed in range(args.seeds)])
        mean = traces.mean(axis=0)
        low, high = np.quantile(traces, [0.1, 0.9], axis=0)
        final = traces[:, -1, :]
        print(f"{name:10s} final train loss {final[:, 0].mean():.4f} ± {final[:, 0].std():.4f}, "
              f"test accuracy {final[:, 5].mean():.4f}; band at T: [{low[-1, 0]:.4f}, "
              f"{high[-1, 0]:.4f}], mean {mean[-1, 0]:.4f}")
    print(f"{len(methods) * args.seeds} runs x {args.steps} steps in "
          f"{time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
