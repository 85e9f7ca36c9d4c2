# What torch.optim.SGD does in the exercise loop (plain gradient descent on all 80 points), and the
# mini-batch version with a DataLoader that puts the "stochastic" into stochastic gradient descent.
# --8<-- [start:one_step]
import torch
from torch import nn

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20

torch.manual_seed(42)
model = ptx.LinearRegression()
loss_fn = nn.L1Loss()
lr = 0.01
optimizer = torch.optim.SGD(model.parameters(), lr=lr)

y_pred = model(X_train)  # every one of the 80 training points
loss = loss_fn(y_pred, y_train)
optimizer.zero_grad()
loss.backward()
print(f"points that went into this step: {len(y_pred)} of {len(X_train)}")

# the gradient of mean(|w*x + b - y|), worked out by hand over all 80 points
sign = torch.sign(y_pred - y_train).detach()
grad_w, grad_b = model.weight.grad.item(), model.bias.grad.item()
print(f"weight.grad {grad_w:+.4f}, by hand {(sign * X_train).mean():+.4f}")
print(f"bias.grad   {grad_b:+.4f}, by hand {sign.mean():+.4f}")

# plain gradient descent: weight - lr * grad
expected = model.weight.detach() - lr * model.weight.grad
optimizer.step()
same = torch.equal(model.weight.detach(), expected)
print(f"step == weight - lr * grad: {same}")
# --8<-- [end:one_step]


# --8<-- [start:no_randomness]
def train_full_batch(random_seed, epochs=100):
    """Train the seed-42 model on the full batch; return weight and bias."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    torch.manual_seed(random_seed)  # would change any random draw below
    for _ in range(epochs):
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return torch.cat([model.weight.detach(), model.bias.detach()])


a, b = train_full_batch(random_seed=0), train_full_batch(random_seed=12345)
print(f"seed 0:     weight, bias = {a.tolist()}")
print(f"seed 12345: weight, bias = {b.tolist()}")
print(f"identical runs, nothing random in the loop: {torch.equal(a, b)}")
# --8<-- [end:no_randomness]


# --8<-- [start:mini_batch]
import matplotlib.pyplot as plt
from torch.utils.data import DataLoader, TensorDataset


def train_curve(batch_size, epochs):
    """Train the seed-42 model; after every epoch, the larger error of its weight (against 0.3)
    or bias (against 0.9): the line is known, so no test data is needed to follow it."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    if batch_size is None:  # the exercise's loop: one batch of all 80 points
        batches = [(X_train, y_train)]
    else:
        batches = DataLoader(
            TensorDataset(X_train, y_train),
            batch_size=batch_size,
            shuffle=True,  # (1)!
            generator=torch.Generator().manual_seed(0),
        )
    truth, gaps, steps = torch.tensor([0.3, 0.9]), [], 0
    for _ in range(epochs):
        model.train()
        for X_batch, y_batch in batches:  # (2)!
            loss = loss_fn(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            steps += 1
        with torch.no_grad():
            gaps.append((torch.cat([model.weight, model.bias]) - truth).abs().max())
    w, b = model.weight.item(), model.bias.item()
    size = batch_size or len(X_train)
    print(f"batches of {size}: {steps} steps, weight {w:.4f}, bias {b:.4f}")
    return torch.stack(gaps), steps // epochs


curves = {  # 300 optimizer steps each
    "full batch (80)": train_curve(batch_size=None, epochs=300),
    "mini-batches of 16": train_curve(batch_size=16, epochs=60),
}

fig, (by_epoch, by_step) = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
for label, (gaps, steps_per_epoch) in curves.items():
    epochs_run = torch.arange(1, len(gaps) + 1)
    by_epoch.plot(epochs_run[:60], gaps[:60], label=label)
    by_step.plot(epochs_run * steps_per_epoch, gaps, label=label)
by_epoch.set(title="Error per epoch (pass over the data)", xlabel="Epoch")
by_epoch.set(ylabel="Larger error of weight or bias", yscale="log")
by_step.set(title="Error per optimizer step", xlabel="Optimizer steps")
by_epoch.legend()
plt.show()
# --8<-- [end:mini_batch]
