# %% [markdown]
# # Exercises 01: the PyTorch workflow on linear regression
#
# The five exercises of the workflow chapter: make a straight line with `torch.arange`, build a
# model from `nn.Parameter`s, train and test it, plot its predictions, and save and reload it.
#
# The targets: the learned weight and bias within 0.01 of 0.3 and 0.9, the test loss printed
# every 20 epochs, and a reloaded model that predicts exactly what the trained one does.
#
# This notebook runs top to bottom on a laptop without a GPU; it uses a GPU when there is one.
# The chapter [The workflow on linear regression](../../linear-regression/) explains each step,
# and [why these settings](../../linear-regression/#reaching-03-09-in-a-fraction-of-the-time)
# differ from the exercise's own (L1 loss, SGD lr=0.01, 300 epochs), which are run at the end too.

# %%
from pathlib import Path

import matplotlib.pyplot as plt
import torch
from torch import nn

import ptx

# settings
weight, bias = 0.3, 0.9
lr = 0.7
epochs = 60
eval_every = 20
device = ptx.get_device()  # cuda or mps when there is one, else cpu
print(f"torch {torch.__version__}, device {device}")

# %% [markdown]
# ## 1. A straight line and an 80/20 split
#
# `torch.arange(0, 1, 0.01)` gives 100 numbers; `unsqueeze(1)` makes them 100 rows of one
# feature, the shape `(N, 1)` a model expects. The first 80 points train, the last 20 test:
# no shuffling, so the test points lie to the right of everything the model saw.

# %%
X = torch.arange(0, 1, 0.01).unsqueeze(1)
y = weight * X + bias
n_train = int(0.8 * len(X))
X_train, y_train = X[:n_train].to(device), y[:n_train].to(device)
X_test, y_test = X[n_train:].to(device), y[n_train:].to(device)
print(f"X_train {tuple(X_train.shape)}, y_train {tuple(y_train.shape)}")
print(f"X_test {tuple(X_test.shape)}, y_test {tuple(y_test.shape)}")

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test)
ax.set_title("Training and test data on y = 0.3x + 0.9")
plt.show()

# %% [markdown]
# ## 2. A model made of two parameters
#
# `nn.Parameter` registers a tensor with the module, so `model.parameters()` hands it to the
# optimizer and `state_dict()` saves it; it tracks gradients (`requires_grad=True`) by default.
# With the seed set to 42 the starting values are 0.3367 and 0.1288.


# %%
class LinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1))
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x + self.bias


torch.manual_seed(42)
model = LinearRegressionModel().to(device)
print(model.state_dict())

# %% [markdown]
# ## 3. Loss, optimizer, and the training loop
#
# The exercise asked for `nn.L1Loss` with `SGD(lr=0.01)` for 300 epochs. This notebook trains
# with `nn.MSELoss` and `SGD(lr=0.7)` for 60 epochs instead: it reaches the target in a fraction
# of the time (the chapter shows why, and the exercise's own settings run in the last cell).
# The test set is evaluated every 20 epochs; losses stay tensors until they are printed.

# %%
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=lr)

log = []
for epoch in range(epochs):
    model.train()
    y_pred = model(X_train)
    loss = loss_fn(y_pred, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % eval_every == 0 or epoch == epochs - 1:
        model.eval()
        with torch.inference_mode():
            test_loss = loss_fn(model(X_test), y_test)
        log.append((epoch, loss.item(), test_loss.item()))
        print(f"epoch {epoch:3d} | train loss {loss:.5f} | test loss {test_loss:.5f}")

learned_weight, learned_bias = model.weight.item(), model.bias.item()
print(f"learned weight {learned_weight:.4f} (true {weight})")
print(f"learned bias   {learned_bias:.4f} (true {bias})")
close = abs(learned_weight - weight) < 0.01 and abs(learned_bias - bias) < 0.01
print(f"both within 0.01: {close}")

# %% [markdown]
# ## 4. Predictions on the test data
#
# Eval mode and `torch.inference_mode()`: no dropout here, but the habit matters, and the
# predictions come out without gradient tracking, ready to plot.

# %%
model.eval()
with torch.inference_mode():
    y_pred = model(X_test)

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test, predictions=y_pred)
w, b = learned_weight, learned_bias
ax.set_title(f"After {epochs} epochs: weight {w:.4f}, bias {b:.4f}")
plt.show()

# %% [markdown]
# ## 5. Save the state_dict, load it into a new model, compare
#
# The file holds only tensors by name, so `torch.load(..., weights_only=True)` reads it
# safely; `map_location` puts them on this notebook's device.

# %%
MODEL_PATH = Path("models") / "01_linear_regression.pt"
MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), MODEL_PATH)

loaded_model = LinearRegressionModel().to(device)
state_dict = torch.load(MODEL_PATH, map_location=device, weights_only=True)
loaded_model.load_state_dict(state_dict)
loaded_model.eval()
with torch.inference_mode():
    loaded_pred = loaded_model(X_test)
print(loaded_model.state_dict())
print(f"identical predictions: {torch.equal(y_pred, loaded_pred)}")

# %% [markdown]
# ## The exercise's own settings, for comparison
#
# `nn.L1Loss`, `SGD(lr=0.01)`, 300 epochs, the test loss every 20 epochs: the numbers of the
# original run (epoch 0: train 0.757, test 0.725; learned 0.3067 and 0.9011). It does end within
# 0.01 of both, but only from epoch 228 on, five times the epochs of the settings above.

# %%
torch.manual_seed(42)
l1_model = LinearRegressionModel().to(device)
l1_loss_fn = nn.L1Loss()
l1_optimizer = torch.optim.SGD(l1_model.parameters(), lr=0.01)
for epoch in range(300):
    l1_model.train()
    loss = l1_loss_fn(l1_model(X_train), y_train)
    l1_optimizer.zero_grad()
    loss.backward()
    l1_optimizer.step()
    if epoch % 20 == 0:
        l1_model.eval()
        with torch.inference_mode():
            test_loss = l1_loss_fn(l1_model(X_test), y_test)
        print(f"epoch {epoch:3d} | train loss {loss:.3f} | test loss {test_loss:.3f}")
l1_weight, l1_bias = l1_model.weight.item(), l1_model.bias.item()
print(f"learned weight {l1_weight:.4f}, bias {l1_bias:.4f}")
