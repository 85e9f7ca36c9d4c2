# Keeping the best weights during training: chosen on a validation set, never on the test set,
# and copied, since state_dict() hands out the model's live tensors.
# --8<-- [start:validation_split]
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, y_train = X[:64], y[:64]  # x from 0 to 0.63: to learn from
X_val, y_val = X[64:80], y[64:80]  # (1)!
X_test, y_test = X[80:], y[80:]  # x from 0.8 to 0.99, as before: measured once, at the end
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)} points")
loss_fn = nn.L1Loss()
epochs = 300  # the exercise's settings: L1 loss, SGD at lr=0.01, 300 epochs
# --8<-- [end:validation_split]


# --8<-- [start:the_bug]
import torch


def train_keeping_best(keep):
    """Train the seed-42 model; keep `keep(model)` at each lowest validation loss."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    best_val_loss, best_epoch, best_state = float("inf"), None, None
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            val_loss = loss_fn(model(X_val), y_val).item()
        if val_loss < best_val_loss:
            best_val_loss, best_epoch, best_state = val_loss, epoch, keep(model)
    return model, best_val_loss, best_epoch, best_state


def val_loss_of(state):
    """Load a state_dict into a fresh model and measure its validation loss."""
    fresh = ptx.LinearRegression()
    fresh.load_state_dict(state)
    fresh.eval()
    with torch.inference_mode():
        return loss_fn(fresh(X_val), y_val).item()


def report(model, best_val_loss, best_epoch, best_state):
    kept_w, kept_b = best_state["weight"].item(), best_state["bias"].item()
    shared = best_state["weight"].data_ptr() == model.weight.data_ptr()
    print(f"best epoch {best_epoch}: validation loss {best_val_loss:.4f}")
    print(f"kept weights:  {kept_w:.4f}, {kept_b:.4f}")
    print(f"final weights: {model.weight.item():.4f}, {model.bias.item():.4f}")
    print(f"validation loss of the kept weights: {val_loss_of(best_state):.4f}")
    print(f"kept weight shares the model's memory: {shared}")


model, best_val_loss, best_epoch, best_state = train_keeping_best(lambda m: m.state_dict())
report(model, best_val_loss, best_epoch, best_state)
bug_kept_val_loss = val_loss_of(best_state)
# --8<-- [end:the_bug]

# --8<-- [start:the_fix]
import copy

model, best_val_loss, best_epoch, best_state = train_keeping_best(
    lambda m: copy.deepcopy(m.state_dict())  # (1)!
)
report(model, best_val_loss, best_epoch, best_state)
# --8<-- [end:the_fix]

# --8<-- [start:test_once]
model.load_state_dict(best_state)  # the weights of the best epoch
model.eval()
with torch.inference_mode():
    test_loss = loss_fn(model(X_test), y_test).item()
print(f"test loss of the chosen weights (epoch {best_epoch}): {test_loss:.4f}")
# --8<-- [end:test_once]

# --8<-- [start:chosen_on_test]
# what choosing on the test set would have claimed: the lowest of 300 test losses
torch.manual_seed(42)
peek = ptx.LinearRegression()
optimizer = torch.optim.SGD(peek.parameters(), lr=0.01)
test_losses = []
for epoch in range(1, epochs + 1):
    peek.train()
    loss = loss_fn(peek(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    peek.eval()
    with torch.inference_mode():
        test_losses.append(loss_fn(peek(X_test), y_test))
test_losses = torch.stack(test_losses)
peeked_epoch = int(test_losses.argmin()) + 1
peeked_loss = test_losses.min()
print(f"best epoch by test loss: {peeked_epoch}, test loss {peeked_loss:.4f}")
print(f"reported honestly (epoch {best_epoch}, chosen on validation): {test_loss:.4f}")
# --8<-- [end:chosen_on_test]

# --8<-- [start:stat_dict]
model.stat_dict()  # raises AttributeError
# --8<-- [end:stat_dict]
