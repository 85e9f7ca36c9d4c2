# From a binary model's raw outputs to labels: logits -> sigmoid -> round, or simply logits > 0.
# --8<-- [start:train]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_moons(n_samples=1000, noise=0.03, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
ptx.set_seed(42)
model = ptx.Classifier(2, 1, hidden=(10, 10))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
history = ptx.fit(  # (1)!
    model,
    X_train,
    y_train,
    X_test,
    y_test,
    loss_fn,
    optimizer,
    epochs=100,
    metric="accuracy",
    eval_every=100,
    progress=False,
)
print(f"after 100 epochs of Adam: test accuracy {history.test_metric[-1]:.3f}")
# --8<-- [end:train]

# --8<-- [start:chain]
model.eval()
with torch.inference_mode():
    y_logits = model(X_test)  # raw outputs: any real number
y_probs = torch.sigmoid(y_logits)  # squashed into (0, 1)
y_pred = torch.round(y_probs)  # 0. or 1., like y_test
for name, values in (
    ("logits", y_logits),
    ("probs", y_probs),
    ("predictions", y_pred),
    ("labels", y_test),
):
    print(f"{name:<12}", " ".join(f"{v:>7.4f}" for v in values[:6, 0].tolist()))
print(f"accuracy {(y_pred == y_test).float().mean():.3f}")
# --8<-- [end:chain]

# --8<-- [start:shortcut]
y_pred_shortcut = (y_logits > 0).float()  # sigmoid(z) > 0.5 exactly when z > 0
print("same labels:", torch.equal(y_pred, y_pred_shortcut))
print(
    "sigmoid(0) =",
    torch.sigmoid(torch.tensor(0.0)).item(),
    "and round(0.5) =",
    torch.round(torch.tensor(0.5)).item(),
)

z = torch.linspace(y_logits.min() - 1, y_logits.max() + 1, 200)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(z, torch.sigmoid(z), color="gray", label="sigmoid")
for label, color in ((0, "C3"), (1, "C0")):
    rows = y_test.squeeze(1) == label
    ax.scatter(
        y_logits[rows], y_probs[rows], s=12, color=color, label=f"test samples, label {label}"
    )
ax.axvline(0, color="k", linewidth=0.8)
ax.axhline(0.5, color="k", linewidth=0.8, linestyle="--")
ax.set(xlabel="logit (model output)", ylabel="probability of class 1")
ax.set_title("The test samples on the sigmoid: logit > 0 is probability > 0.5")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:shortcut]
