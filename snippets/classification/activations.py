# ReLU, sigmoid and tanh written by hand, checked against PyTorch's, and timed.
# --8<-- [start:by_hand]
import time

import torch
from torch import nn


def relu(x):
    return torch.maximum(x, torch.zeros_like(x))


def sigmoid(x):
    return 1 / (1 + torch.exp(-x))


def tanh(x):
    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))


torch.manual_seed(42)
x = torch.randn(10_000) * 5
for mine, builtin in ((relu, torch.relu), (sigmoid, torch.sigmoid), (tanh, torch.tanh)):
    same = torch.allclose(mine(x), builtin(x), atol=1e-6)
    gap = (mine(x) - builtin(x)).abs().max()
    print(f"{mine.__name__:<8} matches torch.{builtin.__name__}: {same} (largest gap {gap:.1e})")
# --8<-- [end:by_hand]

# --8<-- [start:edge_cases]
big = torch.tensor([-100.0, -50.0, 0.0, 50.0, 100.0])
print("my tanh:   ", tanh(big))
print("torch.tanh:", torch.tanh(big))
print("exp(100) in float32:", torch.exp(torch.tensor(100.0)))


def tanh_stable(x):
    return 2 * torch.sigmoid(2 * x) - 1  # the same function, without exp(x) blowing up


print("stable:    ", tanh_stable(big))
# --8<-- [end:edge_cases]

# --8<-- [start:speed]
# varies: wall-clock timings depend on the machine, its load and the build
x = torch.randn(2**20)  # a million numbers, 4 MB
pairs = {
    "relu": (relu, torch.relu),
    "sigmoid": (sigmoid, torch.sigmoid),
    "tanh": (tanh, torch.tanh),
}


def best_ms(fn, repeats=5):
    """Fastest of a few runs, in milliseconds (the least disturbed by other work)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(x)
        times.append(time.perf_counter() - start)
    return 1000 * min(times)


print(f"{x.numel():,} elements, {torch.get_num_threads()} CPU threads")
print("function | by hand (ms) | PyTorch (ms) | by hand / PyTorch")
builtin_ms = {}
for name, (mine, builtin) in pairs.items():
    mine_ms, builtin_ms[name] = best_ms(mine), best_ms(builtin)
    print(
        f"{name:<8} | {mine_ms:>12.2f} | {builtin_ms[name]:>12.2f} | {mine_ms / builtin_ms[name]:>6.1f}x"
    )
print(
    f"torch.tanh costs {builtin_ms['tanh'] / builtin_ms['relu']:.1f}x torch.relu "
    f"and {builtin_ms['tanh'] / builtin_ms['sigmoid']:.1f}x torch.sigmoid here"
)

X_train, y_train = torch.randn(800, 2), torch.randint(0, 2, (800, 1)).float()  # moons-sized
loss_fn = nn.BCEWithLogitsLoss()
for activation in (nn.ReLU, nn.Tanh):
    model = nn.Sequential(
        nn.Linear(2, 10), activation(), nn.Linear(10, 10), activation(), nn.Linear(10, 1)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    times = []
    for _ in range(50):
        start = time.perf_counter()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        times.append(time.perf_counter() - start)
    print(
        f"one training step of the moons model with {activation.__name__}: "
        f"{1000 * min(times):.2f} ms"
    )
# --8<-- [end:speed]
