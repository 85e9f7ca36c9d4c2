# Why MSE at lr=0.01 crawls on this line: the loss is a long, narrow valley in (weight, bias).
# Its Hessian sets the largest stable learning rate (2 / largest eigenvalue) and, with the
# condition number, how slowly the flat direction moves; standardising x makes the valley round.
# --8<-- [start:hessian]
import torch

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # the first 80 / last 20


def mse_of(params, X=X_train, y=y_train):
    """The MSE loss as a function of the two numbers (weight, bias)."""
    weight, bias = params
    return ((weight * X + bias - y) ** 2).mean()


start = torch.tensor([0.3367, 0.1288])  # where the seed-42 model starts
H = torch.autograd.functional.hessian(mse_of, start)  # (1)!
x_mean, x2_mean = X_train.mean(), X_train.pow(2).mean()
by_formula = 2 * torch.tensor([[x2_mean, x_mean], [x_mean, 1.0]])  # (2)!
H_at_answer = torch.autograd.functional.hessian(mse_of, torch.tensor([0.3, 0.9]))
print(f"Hessian by autograd:\n{H}")
print(f"equal to 2 * [[mean x², mean x], [mean x, 1]]: {torch.allclose(H, by_formula)}")
print(f"the same at the answer (0.3, 0.9): {torch.allclose(H, H_at_answer)}")

eigenvalues, eigenvectors = torch.linalg.eigh(H)  # ascending
lam_min, lam_max = eigenvalues
lr_limit = 2 / lam_max
condition = lam_max / lam_min
print(f"eigenvalues: {lam_min:.4f} and {lam_max:.4f}")
print(f"largest stable learning rate 2 / {lam_max:.4f} = {lr_limit:.4f}")
print(f"condition number {lam_max:.4f} / {lam_min:.4f} = {condition:.1f}")
# --8<-- [end:hessian]


# --8<-- [start:the_limit]
from torch import nn

target = torch.tensor([0.3, 0.9])


def parameter_path(X_train, loss_fn, lr, epochs=300):
    """Train the seed-42 model on (X_train, y_train); (weight, bias) after every epoch."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    path = [torch.cat([model.weight, model.bias]).detach()]
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        path.append(torch.cat([model.weight, model.bias]).detach())
    return torch.stack(path)  # (epochs + 1, 2): row 0 is the start


def settled_at(path, tolerance=0.01):
    """First epoch from which weight and bias both stay within tolerance of 0.3 and 0.9."""
    close = ((path - target).abs() < tolerance).all(dim=1)
    if not close[-1]:
        return None
    far = (~close).nonzero()
    return 0 if len(far) == 0 else far[-1].item() + 1


print("  lr    shrink per epoch: steep   flat    within 0.01 from   after 300 epochs")
paths = {}
for lr in [0.01, 0.7, 0.85, 0.87]:
    paths[lr] = path = parameter_path(X_train, nn.MSELoss(), lr)
    steep, flat = (1 - lr * lam_max).abs(), (1 - lr * lam_min).abs()  # (1)!
    epoch = settled_at(path)
    reached = f"epoch {epoch}" if epoch is not None else "never"
    w, b = path[-1].tolist()
    print(f"{lr:5.2f}  {steep:26.4f} {flat:7.4f}    {reached:>16s}   {w:.4g}, {b:.4g}")
settled_07 = settled_at(paths[0.7])
flat_factor_001 = 1 - 0.01 * lam_min
flat_factor_at_cap = 1 - lr_limit * lam_min  # the flat direction, at the steep direction's limit
# --8<-- [end:the_limit]

# --8<-- [start:valley]
import matplotlib.pyplot as plt

flat_direction, steep_direction = eigenvectors.T  # columns of eigh's result
if flat_direction[0] < 0:
    flat_direction = -flat_direction  # the sign of an eigenvector is arbitrary
pivot = (-flat_direction[1] / flat_direction[0]).item()  # (1)!
w_step, b_step = flat_direction.tolist()
print(f"flat direction: weight {w_step:+.4f}, bias {b_step:+.4f}")
print(f"  turns the line about x = {pivot:.2f}; the training x lie in [0, 0.79]")
start_error = start - target
flat_part = (start_error @ flat_direction).item()
steep_part = (start_error @ steep_direction).abs().item()
print(
    f"the start's error: {steep_part:.3f} along the steep direction, {flat_part:.3f} along the flat one"
)
epochs_flat_001 = torch.log(torch.tensor(100.0)) / -torch.log(1 - 0.01 * lam_min)
print(f"at lr=0.01 the flat part needs {epochs_flat_001:.0f} epochs to shrink 100 times")

weights, biases = torch.meshgrid(
    torch.linspace(-0.3, 1.3, 161), torch.linspace(0.0, 1.3, 131), indexing="xy"
)
errors = weights[..., None] * X_train.T + biases[..., None] - y_train.T  # (131, 161, 80)
surface = errors.pow(2).mean(dim=-1)  # mse_of at every (weight, bias) of the grid
fig, ax = plt.subplots(figsize=(6.4, 5.2))
levels = torch.logspace(-3, 0.5, 15)
ax.contourf(
    weights, biases, surface.clamp(min=levels[0]), levels=levels, cmap="Blues_r", norm="log"
)
ax.contour(weights, biases, surface, levels=levels, colors="0.4", linewidths=0.5)
ax.plot(paths[0.7][:, 0], paths[0.7][:, 1], "o-", c="C3", lw=0.8, ms=2.5, label="lr=0.7")
ax.plot(paths[0.01][:, 0], paths[0.01][:, 1], c="C1", lw=3, label="lr=0.01")
ax.plot(*start, "ko", label="start (seed 42)")
ax.plot(*target, "w*", mec="k", ms=14, label="answer (0.3, 0.9)")
ax.set(title="The MSE loss over (weight, bias): a long, narrow valley")
ax.set(xlabel="weight", ylabel="bias", aspect="equal")
ax.legend(loc="lower right", framealpha=0.95)
plt.show()
# --8<-- [end:valley]

# --8<-- [start:dip_and_climb]
path = paths[0.01]
print(f"epoch  weight    bias   error at x={pivot:.2f}   test MAE")
for epoch in [0, 20, 40, 60, 80, 100, 150, 300]:
    w, b = path[epoch]
    pivot_error = (w * pivot + b) - (0.3 * pivot + 0.9)
    test_mae = (w * X_test + b - y_test).abs().mean()
    print(f"{epoch:5d}  {w:.4f}  {b:.4f}  {pivot_error:+16.4f}   {test_mae:.4f}")
test_mae_by_epoch = (path[:, :1] * X_test.T + path[:, 1:] - y_test.T).abs().mean(dim=1)
dip_epoch = int(test_mae_by_epoch.argmin())
final_test_mae = test_mae_by_epoch[-1]
train_mae_final = (path[-1, 0] * X_train + path[-1, 1] - y_train).abs().mean()
nearest, farthest = X_test.min() - pivot, X_test.max() - pivot
print(f"the test points lie {nearest:.2f} to {farthest:.2f} to the right of x = {pivot:.2f}")
print(f"lowest test MAE at epoch {dip_epoch}: {test_mae_by_epoch[dip_epoch]:.4f}")
print(f"after 300 epochs: train MAE {train_mae_final:.4f}, test MAE {final_test_mae:.4f}")
# --8<-- [end:dip_and_climb]

# --8<-- [start:standardise]
x_std = X_train.std()
inputs = {  # the same 80 points, three ways
    "raw x": (X_train, 1.0, 0.0),
    "centred": (X_train - x_mean, 1.0, x_mean),
    "standardised": ((X_train - x_mean) / x_std, x_std, x_mean),  # (1)!
}
lr = 0.1
print(f"x: mean {x_mean:.4f}, std {x_std:.4f}; every run at lr={lr}")
print("x             eigenvalues      2/λ_max  condition   within 0.01 from")
converted, limits = {}, {}
for name, (X_in, scale, shift) in inputs.items():
    H_in = torch.autograd.functional.hessian(lambda p, X_in=X_in: mse_of(p, X=X_in), start)
    lo, hi = torch.linalg.eigvalsh(H_in)
    path = parameter_path(X_in, nn.MSELoss(), lr)
    # back to the units of the original x: y = w (x - shift) / scale + b
    weight = path[:, 0] / scale
    converted[name] = torch.stack([weight, path[:, 1] - weight * shift], dim=1)
    epoch = settled_at(converted[name])
    reached = f"epoch {epoch}" if epoch is not None else "never"
    limits[name] = 2 / hi
    print(f"{name:12s}  {lo:.4f}, {hi:.4f}   {2 / hi:.4f}  {hi / lo:9.2f}   {reached:>16s}")
settled_raw = settled_at(converted["raw x"])
settled_centred = settled_at(converted["centred"])
settled_standardised = settled_at(converted["standardised"])
limit_centred, limit_standardised = limits["centred"], limits["standardised"]

fig, ax = plt.subplots()
for name, path in converted.items():
    distance = (path - target).abs().max(dim=1).values
    ax.plot(distance, label=f"{name}, lr={lr}")
ax.plot((paths[0.7] - target).abs().max(dim=1).values, "--", label="raw x, lr=0.7")
ax.axhline(0.01, color="0.5", lw=0.8, label="0.01")
ax.set(title="Distance from (0.3, 0.9), MSE loss", xlabel="Epoch")
ax.set(ylabel="largest of |weight - 0.3|, |bias - 0.9|", yscale="log", ylim=(1e-4, 2))
ax.legend(loc="upper right")
plt.show()
# --8<-- [end:standardise]
