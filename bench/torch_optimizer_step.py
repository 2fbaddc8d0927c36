#!/usr/bin/python3
"""Optimizer step time on a ResNet-18-sized parameter list: signopt.torch against torch.optim.SGD,
torch.optim.Adam and a straightforward torch SignSGD / Signum (bench/README.md).

The parameters have the shapes of torchvision's resnet18 (62 tensors, 11,689,512 parameters;
no torchvision needed), float32 by default, with fixed random gradients. Only the optimizer
step is timed (no forward/backward): the median of --repetitions steps after 3 warm-up steps.
Needs the built package: PYTHONPATH=build/python /usr/bin/python3 bench/torch_optimizer_step.py
"""
import argparse
import statistics
import time

import torch

import signopt.torch as sot


def resnet18_shapes():
    shapes = [(64, 3, 7, 7), (64,), (64,)]
    inplanes = 64
    for planes, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        for block in range(2):
            first = block == 0
            shapes += [(planes, inplanes if first else planes, 3, 3), (planes,), (planes,),
                       (planes, planes, 3, 3), (planes,), (planes,)]
            if first and (stride != 1 or inplanes != planes):
                shapes += [(planes, inplanes, 1, 1), (planes,), (planes,)]
        inplanes = planes
    return shapes + [(1000, 512), (1000,)]


class Straightforward:
    """SignSGD (beta = None) and Signum written with torch operations, one tensor at a time."""

    def __init__(self, params, lr, beta=None):
        self.params, self.lr, self.beta = params, lr, beta
        self.m = [torch.zeros_like(p) for p in params] if beta is not None else None

    @torch.no_grad()
    def step(self):
        for i, p in enumerate(self.params):
            if self.beta is None:
                p.add_(torch.sign(p.grad), alpha=-self.lr)
            else:
                self.m[i].mul_(self.beta).add_(p.grad, alpha=1 - self.beta)
                p.add_(torch.sign(self.m[i]), alpha=-self.lr)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--repetitions", type=int, default=20)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    dtype = getattr(torch, args.dtype)
    gen = torch.Generator().manual_seed(0)
    params = [torch.nn.Parameter(torch.randn(s, generator=gen, dtype=dtype)) for s in resnet18_shapes()]
    for p in params:
        p.grad = torch.randn(p.shape, generator=gen, dtype=dtype)
    n = sum(p.numel() for p in params)
    print(f"{len(params)} tensors, {n:,} parameters, {args.dtype}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} torch thread(s); signopt's step is single-threaded")
    contenders = {
        "torch.optim.SGD (foreach=False)": lambda: torch.optim.SGD(params, lr=1e-3, foreach=False),
        "torch.optim.SGD (foreach=True)": lambda: torch.optim.SGD(params, lr=1e-3, foreach=True),
        "torch.optim.SGD momentum=0.9": lambda: torch.optim.SGD(params, lr=1e-3, momentum=0.9),
        "torch.optim.Adam": lambda: torch.optim.Adam(params, lr=1e-3),
        "straightforward torch SignSGD": lambda: Straightforward(params, 1e-3),
        "straightforward torch Signum": lambda: Straightforward(params, 1e-3, 0.9),
        "signopt.torch.SGD": lambda: sot.SGD(params, lr=1e-3),
        "signopt.torch.SignSGD": lambda: sot.SignSGD(params, lr=1e-3),
        "signopt.torch.Signum": lambda: sot.Signum(params, lr=1e-3, beta=0.9),
        "signopt.torch.Lion": lambda: sot.Lion(params, lr=1e-4),
        "signopt.torch.Adam": lambda: sot.Adam(params, lr=1e-3),
        "signopt.torch.EFSignSGD": lambda: sot.EFSignSGD(params, lr=1e-3),
        "signopt.torch.NSGD": lambda: sot.NSGD(params, lr=1e-3),
    }
    print(f"{'optimizer':34s} {'median ms/step':>15s} {'min':>8s}")
    for label, make in contenders.items():
        opt = make()
        for _ in range(3):
            opt.step()
        times = []
        for _ in range(args.repetitions):
            t0 = time.perf_counter()
            opt.step()
            times.append(time.perf_counter() - t0)
        print(f"{label:34s} {1e3 * statistics.median(times):15.1f} {1e3 * min(times):8.1f}")


if __name__ == "__main__":
    main()
