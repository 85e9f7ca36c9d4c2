# The training step in six lines, and what happens when optimizer.zero_grad() is left out.
# --8<-- [start:six_steps]
import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20

torch.manual_seed(42)
model = ptx.LinearRegression()
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)


def train_step(model, X, y, loss_fn, optimizer):
    model.train()  # (1)!
    y_pred = model(X)  # (2)!
    loss = loss_fn(y_pred, y)  # (3)!
    optimizer.zero_grad()  # (4)!
    loss.backward()  # (5)!
    optimizer.step()  # (6)!
    return loss.detach()


for _ in range(300):
    loss = train_step(model, X_train, y_train, loss_fn, optimizer)
w, b = model.weight.item(), model.bias.item()
print(f"train loss {loss:.4f}, weight {w:.4f}, bias {b:.4f}")
# --8<-- [end:six_steps]

# --8<-- [start:accumulate]
torch.manual_seed(42)
model = ptx.LinearRegression()
for call in range(1, 4):
    loss = loss_fn(model(X_train), y_train)
    loss.backward()  # no zero_grad() before it
    grad_w, grad_b = model.weight.grad.item(), model.bias.grad.item()
    grads = f"weight.grad {grad_w:+.4f}, bias.grad {grad_b:+.4f}"
    print(f"after backward() #{call}: {grads}")
# --8<-- [end:accumulate]


# --8<-- [start:without_zero_grad]
def train(zero_grad, epochs=300):
    """Train the seed-42 model; every 50 epochs note weight, bias, grad."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    rows = []
    for epoch in range(1, epochs + 1):
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
