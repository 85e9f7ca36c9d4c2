# %% [markdown]
# # Binary classification exercises: moons and tanh
#
# Exercise set 02, binary part, with my solutions:
#
# 1. Make the moons data (1000 samples, noise 0.03, `random_state=42`) and split it 80/20.
# 2. Build a model with non-linear activations that classifies it: the course asks for over 96 %
#    test accuracy; this notebook aims for 99 %.
# 3. Train it, then plot the decision boundary for the training and the test data.
# 4. Write tanh in plain PyTorch and compare it with `torch.tanh`.
#
# The original run used SGD with a learning rate of 0.1 for 600 epochs and first passed 96 % test
# accuracy at epoch 460. Here Adam with a learning rate of 0.03 gets there in a tenth of the epochs.

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
# ## 1. The data
#
# `ptx.make_moons` is scikit-learn's `make_moons` returning float32 tensors, with the labels
# shaped `(N, 1)` like the model's output.

# %%
X, y = ptx.make_moons(n_samples=1000, noise=0.03, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))
print(
    f"X_train {tuple(X_train.shape)}, X_test {tuple(X_test.shape)}, y_train {tuple(y_train.shape)}"
)
print(f"first samples:\n{X_train[:3]}\nlabels: {y_train[:3].squeeze(1)}")

# %% [markdown]
# ## 2. The model
#
# Two features in, one logit out, ReLU between the layers: a logit above 0 means class 1.


# %%
class MoonModel(nn.Module):
    def __init__(self, in_features=2, hidden=10, out_features=1):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, out_features),
        )

    def forward(self, x):
        return self.layers(x)


ptx.set_seed(42)
model = MoonModel().to(device)
print(model)

# %% [markdown]
# ## 3. Loss, optimizer, accuracy, and the training loop
#
# `BCEWithLogitsLoss` takes the raw logits. TorchMetrics' binary `Accuracy` reads its input as
# probabilities, so the loop passes it `torch.sigmoid(y_logits)`; it returns a fraction, not a
# percentage. The loop trains on the full batch and evaluates every 10 epochs; it keeps the test
# accuracies as tensors and only turns them into Python numbers to print.

# %%
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
accuracy = Accuracy(task="binary").to(device)
epochs, eval_every = 150, 10

evaluated, test_accs = [], []
for epoch in range(1, epochs + 1):
    model.train()
    y_logits = model(X_train)
    loss = loss_fn(y_logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % eval_every == 0:
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test)
            test_loss = loss_fn(test_logits, y_test)
            test_acc = accuracy(torch.sigmoid(test_logits), y_test)
        evaluated.append(epoch)
        test_accs.append(test_acc)
        if epoch % 30 == 0:
            print(
                f"epoch {epoch:>3} | train loss {loss:.4f} | test loss {test_loss:.4f} "
                f"| test acc {test_acc:.3f}"
            )

test_accs = torch.stack(test_accs).cpu()
first_96 = evaluated[int((test_accs > 0.96).nonzero()[0])]
print(f"first above 96 % at epoch {first_96} (the original run: epoch 460 of 600)")
print(f"final test accuracy {test_accs[-1]:.3f}")

# %% [markdown]
# ## 4. Decision boundaries, with the true labels on top
#
# `ptx.plot_decision_boundary` colours the plane by the class the model predicts and scatters
# the data in the colours of their true labels. It leaves the model where it was: same device,
# same mode.

# %%
fig, (ax_train, ax_test) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ptx.plot_decision_boundary(model, X_train, y_train, ax=ax_train, resolution=100)
ptx.plot_decision_boundary(model, X_test, y_test, ax=ax_test, resolution=100)
ax_train.set_title("Training data")
ax_test.set_title(f"Test data: accuracy {test_accs[-1]:.1%}")
fig.suptitle("Moons: decision boundary of the trained model")
plt.show()

# %% [markdown]
# ## 5. tanh in plain PyTorch
#
# tanh(x) = (e^x - e^-x) / (e^x + e^-x). Written straight from the formula it matches
# `torch.tanh` to float32 precision for everyday inputs, but `torch.exp(x)` overflows to `inf`
# above x = 88 and the ratio becomes `nan`. The same function written as `2 * sigmoid(2x) - 1`
# has no such problem.


# %%
def tanh(x):
    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))


def tanh_stable(x):
    return 2 * torch.sigmoid(2 * x) - 1


x = torch.linspace(-10, 10, 1001)
print("formula matches torch.tanh:", torch.allclose(tanh(x), torch.tanh(x), atol=1e-6))
print("stable form matches torch.tanh:", torch.allclose(tanh_stable(x), torch.tanh(x), atol=1e-6))
big = torch.tensor([-100.0, 100.0])
print(f"at +-100: formula {tanh(big)}, stable {tanh_stable(big)}, torch {torch.tanh(big)}")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(x, torch.tanh(x), linewidth=4, alpha=0.4, label="torch.tanh")
ax.plot(x, tanh(x), "--", label="tanh by hand")
ax.set(title="tanh by hand on top of torch.tanh", xlabel="x")
ax.legend()
plt.show()
