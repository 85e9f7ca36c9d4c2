# model.eval() and torch.inference_mode() do two different jobs; testing uses both.
# --8<-- [start:eval_mode]
import torch
from torch import nn

torch.manual_seed(42)
model = nn.Sequential(nn.Linear(4, 4), nn.Dropout(p=0.5))  # (1)!
x = torch.ones(1, 4)

model.train()
first, second = model(x).detach(), model(x).detach()
print(f"train mode, two calls:\n  {first}\n  {second}")
print(f"  same: {torch.equal(first, second)}")

model.eval()
first, second = model(x).detach(), model(x).detach()
print(f"eval mode, two calls:\n  {first}\n  {second}")
print(f"  same: {torch.equal(first, second)}")
# --8<-- [end:eval_mode]

# --8<-- [start:inference_mode]
model.eval()
y_pred = model(x)
print("eval() alone:")
print(f"  requires_grad={y_pred.requires_grad}, grad_fn={y_pred.grad_fn.name()}")

with torch.inference_mode():
    y_pred = model(x)
print("under torch.inference_mode():")
print(f"  requires_grad={y_pred.requires_grad}, grad_fn={y_pred.grad_fn}")
print(f"  an inference tensor: {y_pred.is_inference()}")
# --8<-- [end:inference_mode]

# --8<-- [start:forgot_inference_mode]
y_pred = model(x)  # eval mode, but gradients still tracked
y_pred.numpy()  # raises RuntimeError
# --8<-- [end:forgot_inference_mode]


# --8<-- [start:timing]
# varies: timings depend on the machine and on what else it is doing
import time

torch.manual_seed(42)
layers = []
for _ in range(30):
    layers += [nn.Linear(64, 64), nn.ReLU()]
big_model = nn.Sequential(*layers).eval()  # 30 layers
X_big = torch.randn(64, 64)


def tracked():
    return big_model(X_big)


def no_grad():
    with torch.no_grad():
        return big_model(X_big)


def inference():
    with torch.inference_mode():
        return big_model(X_big)


ways = {
    "eval(), gradients tracked": tracked,
    "eval() + torch.no_grad()": no_grad,
    "eval() + torch.inference_mode()": inference,
}
threads = torch.get_num_threads()
torch.set_num_threads(1)  # (1)!
try:
    best = {name: float("inf") for name in ways}
    started = time.perf_counter()
    while time.perf_counter() - started < 1.0:  # take turns for a second
        for name, forward in ways.items():
            start = time.perf_counter()
            for _ in range(10):
                forward()
            seconds = (time.perf_counter() - start) / 10
            best[name] = min(best[name], seconds)
finally:
    torch.set_num_threads(threads)

n_params = sum(p.numel() for p in big_model.parameters())
print(f"one forward pass, 64 rows, {n_params:,} parameters, best of many")
print(f"{'':32s} {'ms per call':>11s} {'speed-up':>9s}")
baseline = best["eval(), gradients tracked"]
for name, seconds in best.items():
    print(f"{name:32s} {seconds * 1000:11.3f} {baseline / seconds:8.2f}x")
# --8<-- [end:timing]
