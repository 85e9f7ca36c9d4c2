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
X = torch.arange(0, 1, 0.01).unsqueeze(1)[:80]
y = 0.3 * X + 0.9  # (80, 1), shaped like the predictions
y_pred = 0.31 * X + 0.89  # an almost right line's predictions: (80, 1)
y_flat = y.squeeze(1)  # (1)!
print(f"y_pred {tuple(y_pred.shape)}, y {tuple(y.shape)}, y_flat {tuple(y_flat.shape)}")
right = (y_pred - y).abs()
wrong = (y_pred - y_flat).abs()  # (2)!
print(f"(y_pred - y).abs():      shape {tuple(right.shape)}, mean {right.mean():.4f}")
print(f"(y_pred - y_flat).abs(): shape {tuple(wrong.shape)}, mean {wrong.mean():.4f}")
# --8<-- [end:broadcast_trap]

# --8<-- [start:broadcast_figure]
fig, ax = plt.subplots(figsize=(4.6, 3.8))
image = ax.imshow(wrong, cmap="viridis")
ax.grid(False)
ax.plot(range(80), range(80), color="white", linewidth=1, linestyle=":")
ax.set(
    title="(y_pred - y_flat).abs(): an 80 x 80 grid, not 80 numbers",
    xlabel="index j of y_flat",
    ylabel="index i of y_pred",
)
fig.colorbar(image, ax=ax, label="absolute difference")
plt.show()
print(f"mean of the whole grid: {wrong.mean().item():.4f} (wrong)")
print(f"mean of the diagonal:  {wrong.diagonal().mean().item():.4f} (right)")
# --8<-- [end:broadcast_figure]

# --8<-- [start:shape_check]
print(f"y_pred {tuple(y_pred.shape)}, targets {tuple(y_flat.shape)}")
message = "reshape the targets: y_flat.unsqueeze(1)"
assert y_pred.shape == y_flat.shape, message  # raises AssertionError
# --8<-- [end:shape_check]
