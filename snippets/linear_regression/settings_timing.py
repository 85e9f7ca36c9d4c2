# The exercise's settings (L1, SGD lr=0.01, 300 epochs, the test set every epoch) against the
# improved ones (standardised x, MSE, SGD lr=0.1, 30 epochs, the test set every 10): the epochs
# each needs to reach 0.3 / 0.9 within 0.01, the work each loop does, and its wall time.
# --8<-- [start:epochs]
import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # the first 80 / last 20
x_mean, x_std = X_train.mean(), X_train.std()  # training statistics, used for the test set too


def standardise(X):
    return (X - x_mean) / x_std


def in_original_units(model, standardised):
    """The learned (weight, bias) for the original x."""
    w, b = model.weight.detach(), model.bias.detach()
    return torch.cat([w / x_std, b - w * x_mean / x_std]) if standardised else torch.cat([w, b])


def exercise_settings(epochs=300, path=None):
    """The course's loop: L1, SGD lr=0.01, the test set every epoch, both losses as numbers."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    loss_fn = nn.L1Loss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    history, items = [], 0
    for epoch in range(epochs):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.inference_mode():
            test_loss = loss_fn(model(X_test), y_test)
        history.append((epoch, loss.item(), test_loss.item()))  # two .item() calls
        items += 2
        if path is not None:
            path.append(in_original_units(model, standardised=False))
    return model, len(history), items


def improved_settings(epochs=30, eval_every=10, path=None):
    """Standardised x, MSE, SGD lr=0.1; the test set every 10 epochs, numbers only to print."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    X_train_std, X_test_std = standardise(X_train), standardise(X_test)
    history, items = [], 0
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train_std), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % eval_every == 0:
            model.eval()
            with torch.inference_mode():
                test_loss = loss_fn(model(X_test_std), y_test)
            history.append((epoch, loss, test_loss))  # tensors: no waiting
        if path is not None:
            path.append(in_original_units(model, standardised=True))
    items += 2 * len(history)  # printing a line turns its two losses into numbers
    return model, len(history), items


def within_from(path, tolerance=0.01):
    """First epoch from which weight and bias both stay within tolerance of 0.3 and 0.9."""
    far = ~((torch.stack(path) - torch.tensor([0.3, 0.9])).abs() < tolerance).all(dim=1)
    return far.nonzero()[-1].item() + 2 if far.any() else 1  # epochs count from 1


print("settings                         epochs  within 0.01 from epoch")
rows, work = {}, {}
for name, run in [
    ("exercise: L1, lr=0.01", exercise_settings),
    ("improved: MSE, std x, lr=0.1", improved_settings),
]:
    path = []
    model, test_passes, items = run(path=path)
    rows[name], work[name] = within_from(path), (len(path), test_passes, items)
    print(f"{name:31s} {len(path):6d}  {rows[name]:21d}")
exercise_epochs, improved_epochs = rows.values()
# --8<-- [end:epochs]

# --8<-- [start:work]
print("settings                         epochs  test passes  .item() calls")
for name, (epochs_run, test_passes, items) in work.items():
    print(f"{name:31s} {epochs_run:6d}  {test_passes:11d}  {items:13d}")
# --8<-- [end:work]

# --8<-- [start:timing]
# varies: timings depend on the machine and on what else it is doing
import time

runs = {"exercise": exercise_settings, "improved": improved_settings}
best = {name: float("inf") for name in runs}
for _ in range(3):  # take turns, keep each one's best time
    for name, run in runs.items():
        start = time.perf_counter()
        run()
        best[name] = min(best[name], time.perf_counter() - start)
for name, seconds in best.items():
    print(f"{name:9s} settings: {seconds * 1000:6.1f} ms")
print(f"the improved settings take {best['improved'] / best['exercise']:.0%} of the time")
# --8<-- [end:timing]
