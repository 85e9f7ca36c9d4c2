# Keeping the best weights during training: state_dict() hands out live tensors, so copy them.
# --8<-- [start:the_bug]
import copy

import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20
loss_fn = nn.L1Loss()


def train_keeping_best(keep, epochs=100):
    """Train the seed-42 model; keep `keep(model)` at each lowest test loss."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    best_loss, best_epoch, best_state = float("inf"), None, None
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_loss = loss_fn(model(X_test), y_test).item()
        if test_loss < best_loss:
            best_loss, best_epoch, best_state = test_loss, epoch, keep(model)
    return model, best_loss, best_epoch, best_state


def test_loss_of(state):
    """Load a state_dict into a fresh model and measure its test loss."""
    fresh = ptx.LinearRegression()
    fresh.load_state_dict(state)
    fresh.eval()
    with torch.inference_mode():
        return loss_fn(fresh(X_test), y_test).item()


def report(model, best_loss, best_epoch, best_state):
    kept_w, kept_b = best_state["weight"].item(), best_state["bias"].item()
    shared = best_state["weight"].data_ptr() == model.weight.data_ptr()
    print(f"best epoch {best_epoch}: test loss {best_loss:.4f}")
    print(f"kept weights:  {kept_w:.4f}, {kept_b:.4f}")
    print(f"final weights: {model.weight.item():.4f}, {model.bias.item():.4f}")
    print(f"test loss of the kept weights: {test_loss_of(best_state):.4f}")
    print(f"kept weight shares the model's memory: {shared}")


report(*train_keeping_best(lambda model: model.state_dict()))
# --8<-- [end:the_bug]

# --8<-- [start:the_fix]
report(*train_keeping_best(lambda model: copy.deepcopy(model.state_dict())))  # (1)!
# --8<-- [end:the_fix]

# --8<-- [start:stat_dict]
model = ptx.LinearRegression()
model.stat_dict()  # raises AttributeError
# --8<-- [end:stat_dict]
