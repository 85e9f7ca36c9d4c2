# The same run with the saved helpers: ptx.make_spirals, ptx.Classifier and ptx.fit; then the
# test set, once, and the decision boundary.
# --8<-- [start:with_fit]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42)

torch.manual_seed(42)
model = ptx.Classifier(in_features=2, out_features=3, hidden=(10, 10, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
history = ptx.fit(
    model,
    X_train,
    y_train,
    X_val,
    y_val,
    loss_fn,
    optimizer,
    epochs=2000,
    metric="accuracy",
    eval_every=10,
    log_every=500,
)
print(f"lowest validation loss {history.best_val_loss:.4f} at epoch {history.best_epoch}")
# --8<-- [end:with_fit]

# --8<-- [start:test_once]
history.load_best(model)
test_loss, test_acc = ptx.evaluate(model, X_test, y_test, loss_fn, metric="accuracy")
print(f"test set, once: loss {test_loss:.4f}, accuracy {test_acc:.3f}")

fig, (ax_train, ax_test) = plt.subplots(1, 2, figsize=(9, 4), layout="constrained")
ptx.plot_decision_boundary(model, X_train, y_train, ax=ax_train, resolution=100)
ptx.plot_decision_boundary(model, X_test, y_test, ax=ax_test, resolution=100)
ax_train.set_title("Training data")
ax_test.set_title(f"Test data: accuracy {test_acc:.1%}")
fig.suptitle("Spirals, 2-10-10-10-3 after 2000 epochs of Adam at 0.001: decision boundary")
plt.show()
# --8<-- [end:test_once]
