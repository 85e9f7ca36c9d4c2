# The mistakes a beginner makes in the training loop, each run to show what it does: gradients
# that pile up without zero_grad(), a step taken before backward(), the forward pass left outside
# the loop, and a loss against the wrong targets.
# --8<-- [start:gradients_pile_up]
import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)  # the torch.arange line above, 100 points
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # the first 80 / last 20
loss_fn = nn.L1Loss()

torch.manual_seed(42)
model = ptx.LinearRegression()  # the nn.Parameter model above, seed 42
for call in range(1, 4):
    loss = loss_fn(model(X_train), y_train)
    loss.backward()  # no zero_grad() before it
    grad_w, grad_b = model.weight.grad.item(), model.bias.grad.item()
    print(f"after backward() #{call}: weight.grad {grad_w:+.4f}, bias.grad {grad_b:+.4f}")
# --8<-- [end:gradients_pile_up]


# --8<-- [start:without_zero_grad]
def train(zero_grad, epochs=300):
    """Train the seed-42 model; every 50 epochs note weight, bias, bias.grad."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    rows = []
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        if zero_grad:
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % 50 == 0:
            w, b = model.weight.item(), model.bias.item()
            rows.append((epoch, w, b, model.bias.grad.item()))
    return rows


print("        with zero_grad()             without zero_grad()")
print("epoch   weight    bias  bias.grad   weight    bias  bias.grad")
good_rows, bad_rows = train(zero_grad=True), train(zero_grad=False)
for good, bad in zip(good_rows, bad_rows, strict=True):
    print(
        f"{good[0]:5d}  {good[1]:7.4f} {good[2]:7.4f} {good[3]:+8.2f}   "
        f"{bad[1]:7.4f} {bad[2]:7.4f} {bad[3]:+8.2f}"
    )
highest_bias = max(bias for _, _, bias, _ in bad_rows)
_, end_weight, end_bias, _ = bad_rows[-1]
# --8<-- [end:without_zero_grad]

# --8<-- [start:step_before_backward]
torch.manual_seed(42)
model = ptx.LinearRegression()
start = (model.weight.item(), model.bias.item())
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(300):
    model.train()
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    optimizer.step()  # too early: zero_grad() left no gradient to step with
    loss.backward()
end = (model.weight.item(), model.bias.item())
print(f"weight and bias at the start:     {start[0]:.4f}, {start[1]:.4f}")
print(f"weight and bias after 300 epochs: {end[0]:.4f}, {end[1]:.4f}")
print(f"weight.grad after the loop: {model.weight.grad.item():+.4f}")
# --8<-- [end:step_before_backward]

# --8<-- [start:forward_outside_the_loop]
torch.manual_seed(42)
model = ptx.LinearRegression()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
model.train()
y_pred = model(X_train)  # the forward pass, once, before the epochs

loss = loss_fn(y_pred, y_train)  # epoch 0
optimizer.zero_grad()
loss.backward()
optimizer.step()

loss = loss_fn(y_pred, y_train)  # epoch 1: the same y_pred, from the old weights
optimizer.zero_grad()
loss.backward()  # raises RuntimeError
# --8<-- [end:forward_outside_the_loop]

# --8<-- [start:wrong_targets]
model.eval()
with torch.inference_mode():
    test_pred = model(X_test)  # 20 predictions
    test_loss = loss_fn(test_pred, y_train)  # raises RuntimeError
# --8<-- [end:wrong_targets]
