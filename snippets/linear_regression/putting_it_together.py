# The workflow once more, as one script: on whatever device the machine has, with a validation set
# that picks the epoch whose weights are kept, and the test set measured once, at the end.
# --8<-- [start:setup]
import torch

import ptx

device = ptx.get_device()  # cuda, mps or cpu
print(f"device: {device}")

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, y_train = X[:64].to(device), y[:64].to(device)  # x from 0 to 0.63
X_val, y_val = X[64:80].to(device), y[64:80].to(device)  # (1)!
X_test, y_test = X[80:].to(device), y[80:].to(device)  # the last 20, as before
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}")

torch.manual_seed(42)
model = ptx.LinearRegression().to(device)  # the seed-42 model, on the device
print(f"data on {X_train.device}, model on {next(model.parameters()).device}")
# --8<-- [end:setup]

# --8<-- [start:train]
import copy

from torch import nn

loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
epochs = 300
best_val_loss, best_epoch, best_state = float("inf"), 0, None

for epoch in range(1, epochs + 1):
    model.train()
    y_pred = model(X_train)
    loss = loss_fn(y_pred, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    model.eval()
    with torch.inference_mode():
        val_loss = loss_fn(model(X_val), y_val).item()
    if val_loss < best_val_loss:  # (1)!
        best_val_loss, best_epoch = val_loss, epoch
        best_state = copy.deepcopy(model.state_dict())  # on the model's device
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d} | train {loss:.4f} | validation {val_loss:.4f}")

last_val_loss = val_loss
print(f"best epoch {best_epoch}: validation loss {best_val_loss:.4f}")
model.load_state_dict(best_state)  # back to the best epoch's weights
# --8<-- [end:train]

# --8<-- [start:test_once]
import matplotlib.pyplot as plt

model.eval()
with torch.inference_mode():
    y_pred = model(X_test)
    test_loss = loss_fn(y_pred, y_test).item()
w, b = model.weight.item(), model.bias.item()
print(f"kept weights (epoch {best_epoch}): weight {w:.4f}, bias {b:.4f}")
print(f"test loss, measured once: {test_loss:.4f}")

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test, y_pred)  # (1)!
ax.set_title(f"The weights of epoch {best_epoch}, chosen on validation data")
plt.show()
# --8<-- [end:test_once]
