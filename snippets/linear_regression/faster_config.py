# Why the exercise's settings (L1 loss, SGD lr=0.01, 300 epochs) are slow to reach 0.3 / 0.9,
# and the chapter's settings (MSE loss, SGD lr=0.7, 60 epochs) that get there in a fraction of the time.
# --8<-- [start:compare]
import matplotlib.pyplot as plt
import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20
target = torch.tensor([0.3, 0.9])


def parameter_path(loss_fn, lr, epochs=250):
    """Train the seed-42 model; (weight, bias) after every epoch."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    path = []
    for _ in range(epochs):
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        path.append(torch.cat([model.weight, model.bias]).detach())  # (1)!
    return torch.stack(path)  # shape (epochs, 2)


def settled_at(path, tolerance=0.01):
    """First epoch from which weight and bias both stay within tolerance."""
    close = ((path - target).abs() < tolerance).all(dim=1)
    if not close[-1]:
        return None
    far = (~close).nonzero()
    return 1 if len(far) == 0 else far[-1].item() + 2  # epochs count from 1


losses = {"L1": nn.L1Loss(), "MSE": nn.MSELoss()}
learning_rates = {"L1": [0.01, 0.1], "MSE": [0.01, 0.7, 0.9]}
paths = {}
print("loss  lr     within 0.01 from epoch   weight, bias after 250 epochs")
for name, loss_fn in losses.items():
    for lr in learning_rates[name]:
        paths[name, lr] = path = parameter_path(loss_fn, lr)
        epoch = settled_at(path)
        reached = f"{epoch:5d}" if epoch else "never"
        w, b = path[-1].tolist()
        print(f"{name:4s}  {lr:<5}  {reached:>22s}   {w:.4g}, {b:.4g}")
# --8<-- [end:compare]

# --8<-- [start:paths_figure]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
shown = {("L1", 0.01): "L1, lr=0.01 (exercise)", ("MSE", 0.7): "MSE, lr=0.7"}
goals = {"weight": 0.3, "bias": 0.9}
for index, (ax, (name, goal)) in enumerate(zip(axes, goals.items(), strict=True)):
    ax.axhspan(goal - 0.01, goal + 0.01, color="0.85", label="target ± 0.01")
    for key, label in shown.items():
        ax.plot(torch.arange(1, 251), paths[key][:, index], label=label)
    ax.set(title=f"How the {name} travels to {goal}", xlabel="Epoch")
axes[0].legend()
plt.show()
# --8<-- [end:paths_figure]
