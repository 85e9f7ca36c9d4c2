# L1 or MSE: what squaring does to errors in different units, each loss trained on the same line
# at the exercise's lr=0.01, and what each does with a few bad points.
# --8<-- [start:squares]
import torch

for error in [0.1, 0.5, 1.0, 2.0, 10.0]:
    print(f"error {error:4.1f}  squared {error**2:6.2f}")

errors_m = torch.tensor([0.05, 0.2, 0.5])  # three errors, in metres
errors_cm = errors_m * 100  # the same three errors, in centimetres
for unit, errors in [("m", errors_m), ("cm", errors_cm)]:
    mean_abs, mean_sq = errors.abs().mean(), errors.pow(2).mean()
    print(
        f"in {unit:2s}: MAE {mean_abs:g} {unit}, MSE {mean_sq:g} {unit}², RMSE {mean_sq.sqrt():.4g} {unit}"
    )
mse_m, mse_cm = errors_m.pow(2).mean(), errors_cm.pow(2).mean()
# --8<-- [end:squares]


# --8<-- [start:train_both]
import matplotlib.pyplot as plt
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)  # the chapter's line, 100 points
X_train, _, y_train, _ = ptx.split_train_test(X, y)  # the first 80; no test data here


def train(loss_fn, lr, epochs, y_train, eval_every=10):
    """Train the seed-42 model; every `eval_every` epochs, the larger of its two errors: how
    far the weight is from 0.3 or the bias from 0.9, whichever is farther."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    truth = torch.tensor([0.3, 0.9])
    checked, gaps = [], []
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % eval_every == 0:
            with torch.no_grad():
                learned = torch.cat([model.weight, model.bias])
                gaps.append((learned - truth).abs().max())
            checked.append(epoch)
    return model, checked, torch.stack(gaps)


runs = {
    "L1 loss": train(nn.L1Loss(), lr=0.01, epochs=300, y_train=y_train),
    "MSE loss": train(nn.MSELoss(), lr=0.01, epochs=300, y_train=y_train),
}
fig, ax = plt.subplots()
for name, (trained, checked, gaps) in runs.items():
    w, b = trained.weight.item(), trained.bias.item()
    print(f"{name:8s}: weight {w:.4f}, bias {b:.4f}, larger error {gaps[-1]:.4f}")
    ax.plot(checked, gaps, label=f"trained with {name}")
ax.set(title="Same model, same lr=0.01, trained with L1 or MSE loss")
ax.set(xlabel="Epoch", ylabel="Larger error of weight or bias")
ax.set(yscale="log")
ax.legend()
plt.show()
l1_gap, mse_gap = runs["L1 loss"][2][-1].item(), runs["MSE loss"][2][-1].item()
# --8<-- [end:train_both]

# --8<-- [start:outliers]
y_glitchy = y_train.clone()
y_glitchy[[10, 30, 50]] += 2.0  # three readings from a broken sensor

l1_model, _, _ = train(nn.L1Loss(), lr=0.01, epochs=300, y_train=y_glitchy)
mse_model, _, _ = train(nn.MSELoss(), lr=0.5, epochs=300, y_train=y_glitchy)  # (1)!
for name, trained in [("L1 ", l1_model), ("MSE", mse_model)]:
    w, b = trained.weight.item(), trained.bias.item()
    print(f"{name} on glitchy data: weight {w:.4f}, bias {b:.4f}")

ends = X[[0, -1]]  # two points draw a straight line
fig, ax = plt.subplots()
ax.scatter(X_train, y_glitchy, s=6, c="b", label="Training data")
l1_model.eval()
mse_model.eval()
with torch.inference_mode():
    ax.plot(ends, l1_model(ends), c="C1", lw=2, label="Fit with L1 loss")
    ax.plot(ends, mse_model(ends), c="C2", lw=2, ls="--", label="Fit with MSE")
ax.plot(ends, 0.3 * ends + 0.9, c="k", lw=0.8, label="True line")
ax.set(title="Three bad points: L1 shrugs, MSE is pulled up")
ax.set(xlabel="X", ylabel="y")
ax.legend(loc="center right")
plt.show()
# --8<-- [end:outliers]
