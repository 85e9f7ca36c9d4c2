# The multiclass workflow in plain PyTorch: the CS231n spirals -> tensors -> a model -> its
# outputs before training -> my original training run, with the best epoch kept on validation.
# --8<-- [start:make_data]
import copy

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch import nn

np.random.seed(42)
N = 100  # points per class
D = 2  # dimensionality
K = 3  # number of classes
X = np.zeros((N * K, D))
y = np.zeros(N * K, dtype="uint8")
for j in range(K):
    ix = range(N * j, N * (j + 1))
    r = np.linspace(0.0, 1, N)  # radius
    t = np.linspace(j * 4, (j + 1) * 4, N) + np.random.randn(N) * 0.2  # angle
    X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    y[ix] = j

X = torch.from_numpy(X).type(torch.float32)
y = torch.from_numpy(y).type(torch.int64)  # (1)!
print(f"X {X.dtype} {tuple(X.shape)}, y {y.dtype} {tuple(y.shape)}, classes {y.unique().tolist()}")

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42)
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}")

fig, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
for label, color in enumerate(("#d95f02", "#2166ac", "#1b7837")):
    ax.scatter(*X_train[y_train == label].T, s=12, color=color, label=f"class {label}")
ax.set(title="The spirals: 180 training samples, three classes", xlabel="X[:, 0]")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:make_data]


# --8<-- [start:model]
class SpiralModel(nn.Module):
    def __init__(self, in_features=2, hidden=10, out_features=3):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(in_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, out_features),  # one logit per class
        )

    def forward(self, x):
        return self.layers(x)


torch.manual_seed(42)
model = SpiralModel()
print(model)
# --8<-- [end:model]

# --8<-- [start:untrained]
model.eval()
with torch.inference_mode():
    y_logits = model(X_val)  # (60, 3): one raw score per class
y_probs = torch.softmax(y_logits, dim=1)  # each row: positive numbers that add up to 1
y_pred = y_probs.argmax(dim=1)  # the most likely class in each row
print("logits:\n", y_logits[:3])
print("probabilities:\n", y_probs[:3])
print("row sums:", y_probs[:3].sum(dim=1))
print("predicted:", y_pred[:3], "true:", y_val[:3])
print("argmax of the logits is the same:", torch.equal(y_logits.argmax(dim=1), y_pred))
untrained_acc = (y_pred == y_val).float().mean().item()
print(f"accuracy before training: {untrained_acc:.3f}")
# --8<-- [end:untrained]

# --8<-- [start:train_loop]
loss_fn = nn.CrossEntropyLoss()  # takes logits and int64 labels: the softmax is built in
optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
epochs, eval_every, print_every = 2000, 10, 250

best_epoch, best_val_loss, best_state = None, float("inf"), None
evaluated, val_losses, val_accs = [], [], []
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
            val_logits = model(X_val)
            val_loss = loss_fn(val_logits, y_val).item()
        evaluated.append(epoch)
        val_losses.append(val_loss)
        val_accs.append((val_logits.argmax(dim=1) == y_val).float().mean())
        if val_loss < best_val_loss:
            best_epoch, best_val_loss = epoch, val_loss
            best_state = copy.deepcopy(model.state_dict())
        if epoch % print_every == 0:
            train_acc = (y_logits.argmax(dim=1) == y_train).float().mean()
            print(
                f"epoch {epoch:>4} | train loss {loss:.4f}, acc {train_acc:.3f} "
                f"| val loss {val_loss:.4f}, acc {val_accs[-1]:.3f}"
            )

val_accs = torch.stack(val_accs)
val_acc_at_1000 = val_accs[evaluated.index(1000)].item()
first_95 = evaluated[int((val_accs >= 0.95).nonzero()[0])]
print(f"validation accuracy {val_acc_at_1000:.3f} at epoch 1000, first >= 0.95 at {first_95}")
print(f"lowest validation loss {best_val_loss:.4f} at epoch {best_epoch}")
model.load_state_dict(best_state)
# --8<-- [end:train_loop]
