# %% [markdown]
# # Binary classification exercises: moons and tanh
#
# Exercises 1 to 6 of the course's classification set, numbered as the course numbers them
# (`extras/exercises/02_pytorch_classification_exercises.ipynb`), each in the course's words
# with the names its check reads, then my solution (collapsed on the site and left out of the
# blank notebook: try first), then the check. After them come my improvements, labelled as
# such. The walk-through with the
# explanations is on [the binary classification page](classification/binary.md).

# %%
import matplotlib.pyplot as plt
import torch
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from torch import nn
from torchmetrics import Accuracy

import ptx
from ptx.exercises import binary as ex

device = ptx.get_device()  # cuda, then mps, then cpu
print(f"device: {device}")

# %% [markdown]
# ## Exercise 1
#
# > Make a binary classification dataset with Scikit-Learn's `make_moons()` function.
# >
# > - For consistency, the dataset should have 1000 samples and a `random_state=42`.
# > - Turn the data into PyTorch tensors. Split the data into training and test sets using
# >   `train_test_split` with 80% training and 20% testing.
#
# The check reads `X_train`, `X_test`, `y_train` and `y_test`. My run added `noise=0.03`, so the
# moons are not perfectly thin lines.

# %% tags=["solution"]
X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
X = torch.from_numpy(X).type(torch.float32)  # NumPy's float64 -> the float32 of the weights
y = torch.from_numpy(y).type(torch.float32).unsqueeze(1)  # (1000, 1), like the model's output
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_test, y_train, y_test = (t.to(device) for t in (X_train, X_test, y_train, y_test))
print(
    f"X_train {tuple(X_train.shape)}, X_test {tuple(X_test.shape)}, y_train {tuple(y_train.shape)}"
)

# %%
ex.q1.check()

# %% [markdown]
# ## Exercise 2
#
# > Build a model by subclassing `nn.Module` that incorporates non-linear activation functions
# > and is capable of fitting the data you created in 1.
# >
# > - Feel free to use any combination of PyTorch layers (linear and non-linear) you want.
#
# The check reads `model`. My model: `Linear(2, 10) -> ReLU -> Linear(10, 10) -> ReLU ->
# Linear(10, 1)`. Before training it, a look at what it outputs: logits, then probabilities,
# then labels.


# %% tags=["solution"]
class MoonModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=10)
        self.layer_2 = nn.Linear(in_features=10, out_features=10)
        self.layer_3 = nn.Linear(in_features=10, out_features=1)  # one logit per sample
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


torch.manual_seed(42)
model = MoonModel().to(device)

model.eval()
with torch.inference_mode():
    y_logits = model(X_test[:5])
y_probs = torch.sigmoid(y_logits)  # logits -> probabilities of class 1
y_pred = torch.round(y_probs)  # probabilities -> labels 0. or 1.
print("logits:       ", y_logits.squeeze(1))
print("probabilities:", y_probs.squeeze(1))
print("labels:       ", y_pred.squeeze(1))
print("true labels:  ", y_test[:5].squeeze(1))

# %%
ex.q2.check()

# %% [markdown]
# ## Exercise 3
#
# > Setup a binary classification compatible loss function and optimizer to use when training
# > the model.
#
# The check reads `loss_fn` and `optimizer`.

# %% tags=["solution"]
loss_fn = nn.BCEWithLogitsLoss()  # takes logits: sigmoid and binary cross-entropy in one
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

# %%
ex.q3.check()

# %% [markdown]
# ## Exercise 4
#
# > Create a training and testing loop to fit the model you created in 2 to the data you
# > created in 1.
# >
# > - To measure model accuracy, you can create your own accuracy function or use the accuracy
# >   function in TorchMetrics.
# > - Train the model for long enough for it to reach over 96% accuracy.
# > - The training loop should output progress every 10 epochs of the model's training and
# >   test set loss and accuracy.
#
# The check reads `model` and `test_acc`, the last test accuracy the loop measured.
# TorchMetrics' binary `Accuracy` reads floats as probabilities (above 0.5 is class 1), so it
# gets `torch.sigmoid` of the logits. It returns a fraction, not a percentage.

# %% tags=["solution"]
accuracy = Accuracy(task="binary").to(device)
epochs = 600
test_accs = []
for epoch in range(1, epochs + 1):
    model.train()
    y_logits = model(X_train)
    loss = loss_fn(y_logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 10 == 0:
        train_acc = accuracy(torch.sigmoid(y_logits), y_train)
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test)
            test_loss = loss_fn(test_logits, y_test)
            test_acc = accuracy(torch.sigmoid(test_logits), y_test)
        test_accs.append(test_acc.item())
        print(
            f"epoch {epoch:>3} | train loss {loss:.4f}, acc {train_acc:.3f} "
            f"| test loss {test_loss:.4f}, acc {test_acc:.3f}"
        )

first_96 = 10 * next(i + 1 for i, acc in enumerate(test_accs) if acc > 0.96)
final_test_acc = test_accs[-1]
print(f"test accuracy first above 0.96 at epoch {first_96}, {final_test_acc:.3f} after {epochs}")

# %%
ex.q4.check()

# %% [markdown]
# ## Exercise 5
#
# > Make predictions with your trained model and plot them using the `plot_decision_boundary()`
# > function created in this notebook.
#
# The check reads `y_preds`, the model's labels for `X_test`. `ptx.plot_decision_boundary` does
# what the course's helper does, without moving the model to the CPU or leaving it in eval mode
# (the
# [multiclass page](classification/multiclass.md#the-tensor-is-not-on-the-correct-device-after-walking-away)
# shows why that matters).

# %% tags=["solution"]
model.eval()
with torch.inference_mode():
    y_preds = torch.round(torch.sigmoid(model(X_test)))  # labels of the test points

fig, (ax_train, ax_test) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
ptx.plot_decision_boundary(model, X_train, y_train, ax=ax_train, resolution=100)
ptx.plot_decision_boundary(model, X_test, y_test, ax=ax_test, resolution=100)
ax_train.set_title("Train")
ax_test.set_title(f"Test: accuracy {final_test_acc:.1%}")
fig.suptitle("Moons, 2-10-10-1 after 600 epochs of SGD at 0.1: decision boundary")
plt.show()

# %%
ex.q5.check()

# %% [markdown]
# ## Exercise 6
#
# > Replicate the Tanh (hyperbolic tangent) activation function in pure PyTorch.
#
# tanh(x) = (e^x - e^-x) / (e^x + e^-x). The check reads your function, `tanh`.


# %% tags=["solution"]
def tanh(x):
    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))


x = torch.linspace(-10, 10, 1001)
print("matches torch.tanh:", torch.allclose(tanh(x), torch.tanh(x), atol=1e-6))
print(f"at -100 and 100: mine {tanh(torch.tensor([-100.0, 100.0]))}, torch.tanh ", end="")
print(torch.tanh(torch.tensor([-100.0, 100.0])))

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(x, torch.tanh(x), linewidth=4, alpha=0.4, label="torch.tanh")
ax.plot(x, tanh(x), "--", label="tanh by hand")
ax.set(title="tanh by hand on top of torch.tanh", xlabel="x")
ax.legend()
plt.show()

# %%
ex.q6.check()

# %% [markdown]
# `torch.exp(100.0)` is `inf` in float32 and `inf / inf` is `nan`: the formula is right, the
# float32 arithmetic is not. `2 * torch.sigmoid(2 * x) - 1` is the same function without the
# overflow ([more on the binary page](classification/binary.md#activations-are-easy-to-write)).
#
# ## My improvements (not part of the course's exercises)
#
# Two changes, in this order:
#
# 1. **A validation set.** Exercise 4 watches the test accuracy while training. Choosing
#    anything with it (the epoch, the optimizer) would turn the test set into part of
#    training and its number into an optimistic one. So 160 of the 800 training samples
#    become a validation set; the 200 test samples stay untouched until the very end.
# 2. **Adam at a learning rate of 0.03**, compared with SGD at 0.1 on the validation set.

# %% tags=["solution"]
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}")

first_96_on_val, runs = {}, {}
for optimizer_class, lr, epochs in ((torch.optim.SGD, 0.1, 600), (torch.optim.Adam, 0.03, 150)):
    name = optimizer_class.__name__
    torch.manual_seed(42)
    model = MoonModel().to(device)
    optimizer = optimizer_class(model.parameters(), lr=lr)
    history = ptx.fit(
        model,
        X_train,
        y_train,
        X_val,
        y_val,
        loss_fn,
        optimizer,
        epochs=epochs,
        metric="accuracy",
        eval_every=10,
        progress=False,
    )
    runs[name] = (model, history)
    first_96_on_val[name] = next(
        e for e, acc in zip(history.epochs, history.val_metric, strict=True) if acc > 0.96
    )
    print(f"{name}, lr={lr}: validation accuracy first above 0.96 at epoch {first_96_on_val[name]}")
first_96_sgd, first_96_adam = first_96_on_val["SGD"], first_96_on_val["Adam"]

# %% [markdown]
# Adam gets there in a fraction of the epochs, so Adam it is. Its model, at its best epoch
# (lowest validation loss), goes to the test set, once:

# %% tags=["solution"]
model, history = runs["Adam"]
history.load_best(model)
improved_test_loss, improved_test_acc = ptx.evaluate(
    model, X_test, y_test, loss_fn, metric="accuracy"
)
print(f"best epoch on validation: {history.best_epoch}")
print(f"test set, once: loss {improved_test_loss:.4f}, accuracy {improved_test_acc:.3f}")
