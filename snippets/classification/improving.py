# Improving a model: the levers (units, layers, epochs, learning rate, optimizer, activation),
# one real run each on the circles, and the boundary without and with ReLU.
# --8<-- [start:run]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_circles(n_samples=1000, noise=0.03, seed=42)  # a small ring inside a large one
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
OPTIMIZERS = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam}


def run(hidden=(5,), activation=None, optimizer="SGD", lr=0.1, epochs=100):
    """Train a 2 -> hidden -> 1 model from seed 42; return it and its validation accuracy.

    The defaults are the baseline: 5 hidden units, no activation, SGD at 0.1, 100 epochs."""
    torch.manual_seed(42)
    model = ptx.Classifier(2, 1, hidden=hidden, activation=activation)
    optimizer = OPTIMIZERS[optimizer](model.parameters(), lr=lr)
    history = ptx.fit(
        model,
        X_train,
        y_train,
        X_val,
        y_val,
        nn.BCEWithLogitsLoss(),
        optimizer,
        epochs,
        metric="accuracy",
        eval_every=epochs,  # evaluated once, after the last epoch
        progress=False,
    )
    return model, history.val_metric[-1]


print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)} (set aside)")
# --8<-- [end:run]


# --8<-- [start:levers]
runs = {  # name -> (model, validation accuracy)
    "baseline": run(),
    "more hidden units": run(hidden=(32,)),
    "more layers": run(hidden=(5, 5, 5)),
    "more epochs": run(epochs=1000),
    "higher learning rate": run(lr=1.0),
    "another optimizer": run(optimizer="Adam", lr=0.01),
    "all four": run(hidden=(10, 10), epochs=300, optimizer="Adam", lr=0.01),
    "ReLU": run(activation="relu"),
    "ReLU + all four": run(
        activation="relu", hidden=(10, 10), epochs=300, optimizer="Adam", lr=0.01
    ),
}
accs = {name: acc for name, (model, acc) in runs.items()}
print(f"{'run':<20} validation accuracy")
for name, acc in accs.items():
    print(f"{name:<20} {acc:.3f}")
best_without_relu = max(acc for name, acc in accs.items() if "ReLU" not in name)
relu_alone, relu_all = accs["ReLU"], accs["ReLU + all four"]
# --8<-- [end:levers]

# --8<-- [start:missing_piece]
fig, axes = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
for ax, name in zip(axes, ("all four", "ReLU + all four"), strict=True):
    model, val_acc = runs[name]
    ptx.plot_decision_boundary(model, X_val, y_val, ax=ax, resolution=80)
    ax.set_title(f"{name}: validation accuracy {val_acc:.1%}")
fig.suptitle("The circles, 2-10-10-1 with Adam for 300 epochs: without and with ReLU")
plt.show()
# --8<-- [end:missing_piece]
