# ReLU, sigmoid and tanh written by hand, checked against PyTorch's, and timed.
# --8<-- [start:by_hand]
import torch


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
import time

x = torch.randn(2**20)  # a million numbers, 4 MB
zero = torch.tensor(0.0)
relus = {
    "relu(x) by hand": lambda: relu(x),  # zeros_like(x), then maximum: two new tensors
    "torch.maximum(x, zero)": lambda: torch.maximum(x, zero),
    "x.clamp(min=0)": lambda: x.clamp(min=0),
    "torch.relu(x)": lambda: torch.relu(x),
}
same = all(torch.equal(fn(), torch.relu(x)) for fn in relus.values())
print(f"all four give the same tensor: {same}")


def first_and_best_ms(fn, *args, repeats=20):
    """Time fn(*args): the first call, and the fastest of the calls after it, in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return 1000 * times[0], 1000 * min(times[1:])


print(f"{x.numel():,} elements, {torch.get_num_threads()} CPU thread(s)")
print("a new output every call  | first call (ms) | fastest after (ms)")
for name, fn in relus.items():
    first, best = first_and_best_ms(fn)
    print(f"{name:<24} | {first:>15.3f} | {best:>18.3f}")

out, zeros = torch.empty_like(x), torch.zeros_like(x)  # allocated once, reused every call
into_out = {
    "maximum(x, zeros, out=)": lambda: torch.maximum(x, zeros, out=out),
    "maximum(x, zero, out=)": lambda: torch.maximum(x, zero, out=out),
    "clamp(x, min=0, out=)": lambda: torch.clamp(x, min=0, out=out),
}
print("into a preallocated out  | first call (ms) | fastest after (ms)")
for name, fn in into_out.items():
    first, best = first_and_best_ms(fn)
    print(f"{name:<24} | {first:>15.3f} | {best:>18.3f}")
# --8<-- [end:speed]

# --8<-- [start:speed_others]
# varies: wall-clock timings depend on the machine, its load and the build
from torch import nn

print("function | by hand, fastest (ms) | PyTorch, fastest (ms)")
for mine, builtin in ((relu, torch.relu), (sigmoid, torch.sigmoid), (tanh, torch.tanh)):
    mine_ms, builtin_ms = first_and_best_ms(mine, x)[1], first_and_best_ms(builtin, x)[1]
    print(f"{mine.__name__:<8} | {mine_ms:>21.3f} | {builtin_ms:>21.3f}")


def train_step(model, optimizer, loss_fn, X_train, y_train):
    model.train()
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()


X_train, y_train = torch.randn(800, 2), torch.randint(0, 2, (800, 1)).float()  # moons-sized
for activation in (nn.ReLU(), nn.Tanh()):
    model = nn.Sequential(
        nn.Linear(2, 10), activation, nn.Linear(10, 10), activation, nn.Linear(10, 1)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    args = (model, optimizer, nn.BCEWithLogitsLoss(), X_train, y_train)
    step_ms = first_and_best_ms(train_step, *args, repeats=50)[1]
    with torch.no_grad():
        hidden = model[0](X_train)  # (800, 10): what the first activation sees
    act_ms = first_and_best_ms(activation, hidden, repeats=50)[1]
    print(
        f"moons model with {type(activation).__name__:<4}: one training step {step_ms:.3f} ms; "
        f"one activation on (800, 10) {act_ms:.3f} ms"
    )
# --8<-- [end:speed_others]
