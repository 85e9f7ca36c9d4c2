# Train, validation and test: keep the weights of the epoch with the lowest validation loss,
# in plain PyTorch and then with ptx.fit, and measure the test set once, at the end. The moons are
# noisy, so that the run goes past its best epoch and the kept weights are not the last ones.
# --8<-- [start:helpers]
import copy

import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_moons(n_samples=1000, noise=0.3, seed=42)  # (1)!
torch.manual_seed(42)
model = ptx.Classifier(in_features=2, out_features=1, hidden=(10, 10))  # (2)!
print(model)
# --8<-- [end:helpers]

# --8<-- [start:three_way_split]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}")
# --8<-- [end:three_way_split]


# --8<-- [start:best_on_validation]
def accuracy(y_logits, y):
    return ((y_logits > 0).float() == y).float().mean()


loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
epochs, eval_every, print_every = 600, 10, 100

best_epoch, best_val_loss, best_state = None, float("inf"), None
evaluated, val_losses = [], []
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
        if val_loss < best_val_loss:  # the best epoch is chosen on validation data only
            best_epoch, best_val_loss = epoch, val_loss
            best_state = copy.deepcopy(model.state_dict())  # a copy, not the live tensors
        if epoch % print_every == 0:
            print(
                f"epoch {epoch:>4} | train loss {loss:.4f} | val loss {val_loss:.4f}, "
                f"acc {accuracy(val_logits, y_val):.3f}"
            )
print(f"lowest validation loss {best_val_loss:.4f} at epoch {best_epoch}")
# --8<-- [end:best_on_validation]

# --8<-- [start:test_once]
model.eval()
with torch.inference_mode():
    last_val_loss = loss_fn(model(X_val), y_val).item()  # the weights the loop ended with
model.load_state_dict(best_state)  # the kept ones
with torch.inference_mode():
    kept_val_loss = loss_fn(model(X_val), y_val).item()
    test_logits = model(X_test)
    test_loss = loss_fn(test_logits, y_test).item()
    test_acc = accuracy(test_logits, y_test).item()
print(f"validation loss: last weights {last_val_loss:.4f}, kept weights {kept_val_loss:.4f}")
print(f"test set, once: loss {test_loss:.4f}, accuracy {test_acc:.3f}")
# --8<-- [end:test_once]

# --8<-- [start:with_fit]
torch.manual_seed(42)
model = ptx.Classifier(in_features=2, out_features=1, hidden=(10, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
history = ptx.fit(
    model,
    X_train,
    y_train,
    X_val,
    y_val,
    loss_fn,
    optimizer,
    epochs=600,
    metric="accuracy",
    eval_every=10,
    log_every=100,
)
history.load_best(model)  # (1)!
fit_test_loss, fit_test_acc = ptx.evaluate(model, X_test, y_test, loss_fn, metric="accuracy")
print(f"best epoch {history.best_epoch}")
print(f"test set, once: loss {fit_test_loss:.4f}, accuracy {fit_test_acc:.3f}")
# --8<-- [end:with_fit]
