#!/usr/bin/python3
"""PyTorch reference for bench/mlp_bench.cpp: samples per second of one SGD step
(forward + backward + update) of an MLP on Fashion-MNIST on the CPU.

Same network (784-256-10, ReLU by default), same batch (128), same dtype (float32 by
default), same data order scheme (shuffled epoch walked in batches, rows gathered per batch).
Uses Debian's python3-torch (install with `scripts/bootstrap --bench`), hence /usr/bin/python3.
Not part of `make test`.

    /usr/bin/python3 bench/mlp_torch.py [--threads 2] [--batch 128] [--dtype float32]
"""
import argparse
import gzip
import os
import statistics
import time

import numpy as np
import torch

FASHION_MNIST = "/usr/share/datasets/fashion-mnist"


def read_idx(path, header_bytes):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def load_training_set():
    images = os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz")
    if not os.path.exists(images):
        # Same shape as Fashion-MNIST; the cost does not depend on the values.
        rng = np.random.default_rng(1)
        return rng.random((60000, 784)), rng.integers(0, 10, 60000)
    x = read_idx(images, 16).reshape(-1, 784).astype(np.float64) / 255.0
    y = read_idx(os.path.join(FASHION_MNIST, "train-labels-idx1-ubyte.gz"), 8)
    return x, y.astype(np.int64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--activation", choices=["relu", "tanh"], default="relu")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one repetition")
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    dtype = getattr(torch, args.dtype)
    x_np, y_np = load_training_set()
    x = torch.from_numpy(x_np).to(dtype)
    y = torch.from_numpy(y_np)
    activation = torch.nn.ReLU() if args.activation == "relu" else torch.nn.Tanh()
    model = torch.nn.Sequential(
        torch.nn.Linear(784, args.hidden), activation, torch.nn.Linear(args.hidden, 10)
    ).to(dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    order = torch.randperm(x.shape[0])
    batches_per_epoch = x.shape[0] // args.batch
    position = 0

    def step():
        nonlocal position
        if position == batches_per_epoch:
            position = 0
        idx = order[position * args.batch:(position + 1) * args.batch]
        position += 1
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        optimizer.step()

    for _ in range(50):  # warm-up
        step()
    wall_rates, cpu_rates = [], []
    for _ in range(args.repetitions):
        steps = 0
        wall0, cpu0 = time.perf_counter(), time.process_time()
        while time.perf_counter() - wall0 < args.seconds:
            step()
            steps += 1
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        wall_rates.append(steps * args.batch / wall)
        cpu_rates.append(steps * args.batch / cpu)
    print(f"torch {torch.__version__} threads={args.threads} dtype={args.dtype} "
          f"784-{args.hidden}-10 {args.activation} batch={args.batch}")
    print(f"samples/s (wall, median of {args.repetitions}): {statistics.median(wall_rates):.0f}")
    print(f"samples/s per CPU second (median): {statistics.median(cpu_rates):.0f}")


if __name__ == "__main__":
    main()
