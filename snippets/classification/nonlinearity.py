# The same network with and without ReLU: on circles, and on data a straight line can split.
# --8<-- [start:make_data]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_circles(n_samples=1000, noise=0.03, seed=42)
X_blobs, y_blobs = ptx.make_blobs(n_samples=1000, centers=2, cluster_std=1.5, seed=42)
y_blobs = y_blobs.float().unsqueeze(1)  # binary labels: float, shaped like the model output (N, 1)


def train_and_val(X, y):
    """The page's three parts: a test set set aside (and never touched here, as this compares
    two models), then a fifth of the rest for validation. Returns X_train, X_val, y_train, y_val."""
    X_train, _, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    return train_test_split(X_train, y_train, test_size=0.2, random_state=42)


data = {"circles": train_and_val(X, y), "two blobs": train_and_val(X_blobs, y_blobs)}
for name, (X_train, _, y_train, _) in data.items():
    print(f"{name}: X_train {tuple(X_train.shape)}, y_train {tuple(y_train.shape)} {y_train.dtype}")
# --8<-- [end:make_data]

# --8<-- [start:train]
epochs, lr = 150, 0.05


def train_and_score(activation, X_train, X_val, y_train, y_val):
    """Train 2-10-10-1 with this activation; return the model and its validation accuracy."""
    torch.manual_seed(42)  # the same starting weights for both versions
    model = ptx.Classifier(2, 1, hidden=(10, 10), activation=activation)
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):  # full batch: one step per epoch
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.inference_mode():
        return model, ((model(X_val) > 0).float() == y_val).float().mean().item()


models, scores = {}, {}
for name, split in data.items():
    for activation in (None, "relu"):
        models[name, activation], scores[name, activation] = train_and_score(activation, *split)
    print(
        f"{name}: validation accuracy without activation {scores[name, None]:.3f}, "
        f"with ReLU {scores[name, 'relu']:.3f}"
    )
print(models["circles", None].layers)
print(models["circles", "relu"].layers)
# --8<-- [end:train]

# --8<-- [start:boundaries]
fig, axes = plt.subplots(2, 2, figsize=(9, 8))
fig.subplots_adjust(hspace=0.35, wspace=0.3)
for row, (name, (_, X_val, _, y_val)) in zip(axes, data.items(), strict=True):
    for ax, activation in zip(row, (None, "relu"), strict=True):
        ptx.plot_decision_boundary(models[name, activation], X_val, y_val, ax=ax, resolution=80)
        label = "no activation" if activation is None else "ReLU"
        ax.set_title(f"{name}, {label}: val. acc. {scores[name, activation]:.1%}")
fig.suptitle("The same 2-10-10-1 network without and with ReLU, on circles and on two blobs")
plt.show()
# --8<-- [end:boundaries]

# --8<-- [start:collapse]
linear_model = models["circles", None]
first, second, last = [layer for layer in linear_model.layers if isinstance(layer, nn.Linear)]
X_val = data["circles"][1]
linear_model.eval()
with torch.inference_mode():
    weight = last.weight @ second.weight @ first.weight  # (1, 2): one row, one straight line
    bias = last.weight @ (second.weight @ first.bias + second.bias) + last.bias
    same = torch.allclose(linear_model(X_val), X_val @ weight.T + bias, atol=1e-5)
print(f"three layers as one: weight {weight}, bias {bias}")
print(f"same outputs as the 3-layer model: {same}")
# --8<-- [end:collapse]
