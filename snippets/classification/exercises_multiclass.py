# %% [markdown]
# # Multiclass classification exercises: spirals and blobs
#
# Exercise set 02, multiclass part, with my solutions:
#
# 1. Make the CS231n spirals (100 points per class, 3 classes, seed 42) and split them 80/20.
# 2. Build and train a model that gets over 95 % test accuracy (the course's target); this
#    notebook aims for 97 %, in fewer epochs than my first run needed (Adam at 0.001 reached
#    95 % at epoch 1300 of 2000).
# 3. Plot the decision boundary.
# 4. The same for four Gaussian blobs: at least 99 % test accuracy.
#
# What made the difference on the spirals: Adam's learning rate raised from its default 0.001
# to 0.03, a little more width (16 units per hidden layer), full-batch training with the test
# set evaluated every 10 epochs, and no `.item()` call in the training steps.

# %%
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Accuracy

import ptx

device = ptx.get_device()  # cuda, then mps, then cpu
print(f"device: {device}")

# %% [markdown]
# ## 1. The spirals
#
# Labels are class numbers: int64, shaped `(N,)`, which is what `nn.CrossEntropyLoss` expects.

# %%
X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))
print(f"X_train {tuple(X_train.shape)}, y_train {tuple(y_train.shape)} {y_train.dtype}")
print(f"samples per class in training: {torch.bincount(y_train).tolist()}")

# %% [markdown]
# ## 2. A training loop for any multiclass model
#
# Full batch, evaluation every `eval_every` epochs, accuracies kept as tensors until the end.


# %%
def train(model, X_train, y_train, X_test, y_test, lr, epochs, eval_every=10, print_every=50):
    """Train with Adam and CrossEntropyLoss; return the evaluated epochs and test accuracies."""
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    accuracy = Accuracy(task="multiclass", num_classes=model(X_test[:1]).shape[1]).to(device)
    evaluated, test_accs = [], []
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % eval_every == 0:
            model.eval()
            with torch.inference_mode():
                y_logits = model(X_test)
                y_pred = torch.softmax(y_logits, dim=1).argmax(dim=1)
                test_accs.append(accuracy(y_pred, y_test))
            evaluated.append(epoch)
            if epoch % print_every == 0:
                print(f"epoch {epoch:>3} | train loss {loss:.4f} | test acc {test_accs[-1]:.3f}")
    return torch.tensor(evaluated), torch.stack(test_accs).cpu()


# %% [markdown]
# ## 3. The spirals model
#
# Two hidden layers of 16 units with ReLU, three outputs (one logit per class), Adam at 0.03.

# %%
ptx.set_seed(42)
model = ptx.Classifier(2, 3, hidden=(16, 16), activation="relu").to(device)
evaluated, test_accs = train(model, X_train, y_train, X_test, y_test, lr=0.03, epochs=200)
spirals_acc = test_accs[-1].item()
first_95 = evaluated[test_accs >= 0.95][0].item()
print(f"first at or above 95 % at epoch {first_95} (my first run: epoch 1300)")
print(f"final test accuracy {spirals_acc:.3f}")

# %%
fig, (ax_train, ax_test) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ptx.plot_decision_boundary(model, X_train, y_train, ax=ax_train, resolution=100)
ptx.plot_decision_boundary(model, X_test, y_test, ax=ax_test, resolution=100)
ax_train.set_title("Training data")
ax_test.set_title(f"Test data: accuracy {spirals_acc:.1%}")
fig.suptitle("Spirals: decision boundary of the trained model")
plt.show()

# %% [markdown]
# ## 4. Four blobs
#
# The course's follow-along data: `make_blobs(1000, centers=4, cluster_std=1.5,
# random_state=42)`. A small 2-8-8-4 network is plenty.

# %%
X_blobs, y_blobs = ptx.make_blobs(n_samples=1000, centers=4, cluster_std=1.5, seed=42)
X_train_b, X_test_b, y_train_b, y_test_b = (
    t.to(device) for t in train_test_split(X_blobs, y_blobs, test_size=0.2, random_state=42)
)
ptx.set_seed(42)
model_blobs = ptx.Classifier(2, 4, hidden=(8, 8)).to(device)
evaluated_b, test_accs_b = train(
    model_blobs, X_train_b, y_train_b, X_test_b, y_test_b, lr=0.03, epochs=100, print_every=20
)
blobs_acc = test_accs_b[-1].item()
print(f"final test accuracy {blobs_acc:.3f}")

fig, ax = plt.subplots(figsize=(5.5, 4))
ptx.plot_decision_boundary(model_blobs, X_test_b, y_test_b, ax=ax, resolution=100)
ax.set_title(f"Blobs, test data: accuracy {blobs_acc:.1%}")
plt.show()
