# squeeze removes size-1 axes, unsqueeze adds one: what they do, and where it matters.
# --8<-- [start:what_they_do]
import matplotlib.pyplot as plt
import torch
from matplotlib.patches import Rectangle
from torch import nn

torch.manual_seed(7)
x = torch.rand(1, 1, 1, 10)
print(f"x                {tuple(x.shape)}")
print(f"x.squeeze()      {tuple(x.squeeze().shape)}")  # (1)!
print(f"x.squeeze(0)     {tuple(x.squeeze(0).shape)}")
print(f"same numbers: {torch.equal(x.squeeze(), x.flatten())}")

v = torch.tensor([1.0, 2.0, 3.0])
print(f"v                {tuple(v.shape)}")
print(f"v.unsqueeze(0)   {tuple(v.unsqueeze(0).shape)}")  # (2)!
print(f"v.unsqueeze(1)   {tuple(v.unsqueeze(1).shape)}")

y_pred = torch.tensor([[0.7]])  # one sample, one output: (1, 1)
print(f"y_pred.squeeze()  {tuple(y_pred.squeeze().shape)}")  # (3)!
print(f"y_pred.squeeze(1) {tuple(y_pred.squeeze(1).shape)}")
print(f"ones(3, 2).squeeze(1) {tuple(torch.ones(3, 2).squeeze(1).shape)}")  # (4)!
# --8<-- [end:what_they_do]


# --8<-- [start:shape_figure]
def draw_shape(ax, row, t, label):
    """One box per dimension, as wide as the dimension is long."""
    text = f"{label}  {tuple(t.shape)}"
    ax.text(-0.2, row, text, ha="right", va="center", family="monospace")
    left = 0.0
    for dim, size in enumerate(t.shape):
        width = 0.8 + 0.2 * size
        if size == 1:
            # size 1: dashed
            style = {"fc": "#fdd0a2", "ec": "#e6550d", "ls": "--"}
        else:
            style = {"fc": "#c6dbef", "ec": "#3182bd"}
        ax.add_patch(Rectangle((left, row - 0.35), width, 0.7, lw=1.5, **style))
        text = f"dim {dim}\nsize {size}"
        ax.text(left + width / 2, row, text, ha="center", va="center")
        left += width + 0.15


panels = {
    "squeeze removes the size-1 axes (dashed)": {
        "x": x,
        "x.squeeze(0)": x.squeeze(0),
        "x.squeeze()": x.squeeze(),
    },
    "unsqueeze adds a size-1 axis where you ask": {
        "v": v,
        "v.unsqueeze(0)": v.unsqueeze(0),
        "v.unsqueeze(1)": v.unsqueeze(1),
    },
}
fig, axes = plt.subplots(2, 1, figsize=(7.5, 4.8))
for ax, (title, tensors) in zip(axes, panels.items(), strict=True):
    for row, (label, t) in enumerate(tensors.items()):
        draw_shape(ax, -row, t, label)
    ax.set(title=title, xlim=(-4.6, 6.4), ylim=(-2.5, 0.5))
    ax.axis("off")
fig.suptitle("Shapes before and after squeeze and unsqueeze, a box per axis")
plt.show()
# --8<-- [end:shape_figure]

# --8<-- [start:batch_dim]
torch.manual_seed(42)
model = nn.Linear(3, 1)  # (1)!
sample = torch.tensor([0.2, 0.4, 0.6])
batch = sample.unsqueeze(0)
print(f"one sample {tuple(sample.shape)} -> a batch {tuple(batch.shape)}")
print(f"model(batch):  {tuple(model(batch).shape)}, one row per sample")
print(f"model(sample): {tuple(model(sample).shape)}, no batch axis")
# --8<-- [end:batch_dim]

# --8<-- [start:feature_column]
model = nn.Linear(1, 1)  # one feature in, one number out
X = torch.arange(0, 1, 0.2)  # (1)!
print(f"X {tuple(X.shape)} -> X.unsqueeze(1) {tuple(X.unsqueeze(1).shape)}")
print(f"model(X.unsqueeze(1)): {tuple(model(X.unsqueeze(1)).shape)}")
model(X)  # raises RuntimeError
# --8<-- [end:feature_column]

# --8<-- [start:broadcast_trap]
loss_fn = nn.L1Loss()
X = torch.arange(0, 1, 0.01).unsqueeze(1)[:80]
y = 0.3 * X + 0.9  # (80, 1), shaped like the predictions
y_pred = 0.31 * X + 0.89  # an almost trained line's predictions: (80, 1)
y_flat = y.squeeze(1)  # (1)!
print(f"y_pred {tuple(y_pred.shape)}, y {tuple(y.shape)}")
print(f"y_flat {tuple(y_flat.shape)}")
print(f"y_pred - y_flat: {tuple((y_pred - y_flat).shape)}")
right = loss_fn(y_pred, y)
wrong = loss_fn(y_pred, y_flat)  # (2)!
print(f"right loss: {right.item():.4f}")
print(f"wrong loss: {wrong.item():.4f}, {wrong / right:.1f} times as big")
# --8<-- [end:broadcast_trap]

# --8<-- [start:broadcast_figure]
errors = (y_pred - y_flat).abs()  # what L1Loss averaged: (80, 80)
fig, ax = plt.subplots(figsize=(4.6, 3.8))
image = ax.imshow(errors, cmap="viridis")
ax.grid(False)
ax.plot(range(80), range(80), color="white", linewidth=1, linestyle=":")
ax.set(
    title="Absolute error of y_pred - y_flat: an 80 x 80 grid, not 80 numbers",
    xlabel="target index j",
    ylabel="prediction index i",
)
fig.colorbar(image, ax=ax, label="absolute error")
plt.show()
print(f"mean of the whole grid: {errors.mean().item():.4f} (wrong)")
print(f"mean of the diagonal:  {errors.diagonal().mean().item():.4f} (right)")
# --8<-- [end:broadcast_figure]

# --8<-- [start:broadcast_training]
epochs, lr = 300, 0.05


def fit_line(target):
    """Train a fresh nn.Linear(1, 1) on X with L1 loss against `target`."""
    torch.manual_seed(42)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(epochs):
        loss = loss_fn(model(X), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model.weight.item(), model.bias.item()


weight_right, bias_right = fit_line(y)
weight_wrong, bias_wrong = fit_line(y_flat)  # (1)!
print("the truth:       weight 0.300, bias 0.900")
print(f"targets (80, 1): weight {weight_right:.3f}, bias {bias_right:.3f}")
print(f"targets (80,):   weight {weight_wrong:.3f}, bias {bias_wrong:.3f}")
print(f"median of all the targets: {y.median().item():.3f}")
# --8<-- [end:broadcast_training]

# --8<-- [start:shape_check]
print(f"y_pred {tuple(y_pred.shape)}, targets {tuple(y_flat.shape)}")
message = "reshape the targets: y_flat.unsqueeze(1)"
assert y_pred.shape == y_flat.shape, message  # raises AssertionError
# --8<-- [end:shape_check]
