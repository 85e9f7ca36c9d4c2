# Improving a model: the levers (units, layers, epochs, learning rate, optimizer, activation),
# one real run each on the circles, and the boundary without and with ReLU.
# --8<-- [start:circles]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_circles(n_samples=1000, noise=0.03, seed=42)  # a small ring inside a large one
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)} (set aside)")
# --8<-- [end:circles]

# --8<-- [start:levers]
baseline = {"hidden": (5,), "activation": None, "optimizer": "SGD", "lr": 0.1, "epochs": 100}
all_four = {"hidden": (10, 10), "epochs": 300, "optimizer": "Adam", "lr": 0.01}
changes = {  # each run: the baseline with these settings changed
    "baseline": {},
    "more hidden units": {"hidden": (32,)},
    "more layers": {"hidden": (5, 5, 5)},
    "more epochs": {"epochs": 1000},
    "higher learning rate": {"lr": 1.0},
    "another optimizer": {"optimizer": "Adam", "lr": 0.01},
    "all four": all_four,
    "ReLU": {"activation": "relu"},
    "ReLU + all four": {"activation": "relu", **all_four},
}


def run(hidden, activation, optimizer, lr, epochs):
    """Train one model from the same seed; return it and its validation accuracy."""
    torch.manual_seed(42)
    model = ptx.Classifier(2, 1, hidden=hidden, activation=activation)
    optimizer = getattr(torch.optim, optimizer)(model.parameters(), lr=lr)
    loss_fn = nn.BCEWithLogitsLoss()
    once = {"metric": "accuracy", "eval_every": epochs, "progress": False}  # after the last epoch
    history = ptx.fit(model, X_train, y_train, X_val, y_val, loss_fn, optimizer, epochs, **once)
    return model, history.val_metric[-1]


models, val_acc = {}, {}
print(f"{'change':<20} | {'hidden':<9} | {'activation':<10} | {'optimizer':<10} | epochs | val acc")
for name, change in changes.items():
    settings = baseline | change
    models[name], val_acc[name] = run(**settings)
    optimizer_and_lr = f"{settings['optimizer']} {settings['lr']}"
    print(
        f"{name:<20} | {str(settings['hidden']):<9} | {str(settings['activation']):<10} | "
        f"{optimizer_and_lr:<10} | {settings['epochs']:>6} | {val_acc[name]:.3f}"
    )
best_without_relu = max(acc for name, acc in val_acc.items() if "ReLU" not in name)
relu_alone, relu_all = val_acc["ReLU"], val_acc["ReLU + all four"]
# --8<-- [end:levers]

# --8<-- [start:missing_piece]
fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
for ax, name in zip(axes, ("all four", "ReLU + all four"), strict=True):
    ptx.plot_decision_boundary(models[name], X_val, y_val, ax=ax, resolution=80)
    ax.set_title(f"{name}: validation accuracy {val_acc[name]:.1%}")
fig.suptitle("The circles, 2-10-10-1 with Adam for 300 epochs: without and with ReLU")
plt.show()
# --8<-- [end:missing_piece]
