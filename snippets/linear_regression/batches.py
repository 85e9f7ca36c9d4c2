# Data in batches: a TensorDataset and a Dataset of our own, DataLoaders that hand out shuffled
# training batches and ordered test batches, the training loop over batches, full batch against
# mini-batches, and two mistakes a batch can hide.
# --8<-- [start:tensor_dataset]
from torch.utils.data import TensorDataset

import ptx

X, y = ptx.make_line(weight=0.3, bias=0.9)  # the line above
X_train, X_test, y_train, y_test = ptx.split_train_test(X, y)  # 80 / 20

train_data = TensorDataset(X_train, y_train)  # (1)!
test_data = TensorDataset(X_test, y_test)
print(f"len(train_data): {len(train_data)}, len(test_data): {len(test_data)}")
features, target = train_data[3]  # row 3 of X_train and of y_train
print(f"train_data[3]: features {features}, target {target}")
# --8<-- [end:tensor_dataset]

# --8<-- [start:custom_dataset]
import torch
from torch.utils.data import Dataset


class LineDataset(Dataset):
    """Features and targets as two tensors: TensorDataset, written out."""

    def __init__(self, X: torch.Tensor, y: torch.Tensor):
        if len(X) != len(y):
            raise ValueError(f"{len(X)} feature rows but {len(y)} targets")
        self.X, self.y = X, y

    def __len__(self) -> int:  # (1)!
        return len(self.X)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:  # (2)!
        return self.X[index], self.y[index]


line_data = LineDataset(X_train, y_train)
features, target = line_data[3]
print(f"len(line_data): {len(line_data)}")
print(f"line_data[3]: features {features}, target {target}")
# --8<-- [end:custom_dataset]

# --8<-- [start:data_loader]
from torch.utils.data import DataLoader

torch.manual_seed(42)  # the shuffle draws from torch's random numbers
train_loader = DataLoader(train_data, batch_size=16, shuffle=True)  # (1)!
test_loader = DataLoader(test_data, batch_size=16, shuffle=False)  # (2)!
print(f"batches: {len(train_loader)} in train_loader, {len(test_loader)} in test_loader")

for X_batch, y_batch in train_loader:
    xs = ", ".join(f"{x:.2f}" for x in X_batch[:4, 0])
    print(f"train batch: X {tuple(X_batch.shape)}, y {tuple(y_batch.shape)}, X begins {xs}")
for X_batch, y_batch in test_loader:
    xs = ", ".join(f"{x:.2f}" for x in X_batch[:4, 0])
    print(f"test batch:  X {tuple(X_batch.shape)}, y {tuple(y_batch.shape)}, X begins {xs}")
# --8<-- [end:data_loader]

# --8<-- [start:batch_loop]
from torch import nn

torch.manual_seed(42)
model = ptx.LinearRegression()  # the nn.Parameter model above, seed 42
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
epochs = 60

for epoch in range(epochs):
    model.train()
    for X_batch, y_batch in train_loader:  # (1)!
        y_pred = model(X_batch)
        loss = loss_fn(y_pred, y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    test_loss = torch.tensor(0.0)
    with torch.inference_mode():
        for X_batch, y_batch in test_loader:
            batch_loss = loss_fn(model(X_batch), y_batch)
            test_loss += batch_loss * len(X_batch)  # (2)!
    test_loss /= len(test_data)
    if epoch % 10 == 0:
        print(f"epoch {epoch:2d} | test loss {test_loss:.3f}")

model.eval()
with torch.inference_mode():
    one_batch_loss = loss_fn(model(X_test), y_test)  # all 20 at once
print(f"test loss over batches {test_loss:.6f}, at once {one_batch_loss:.6f}")
w, b = model.weight.item(), model.bias.item()
steps = epochs * len(train_loader)
print(f"after {epochs} epochs, {steps} steps: weight {w:.4f}, bias {b:.4f}")
# --8<-- [end:batch_loop]

# --8<-- [start:full_or_mini]
import matplotlib.pyplot as plt


def train_curve(batch_size, epochs):
    """Train the seed-42 model; after every epoch, the larger error of its weight (against 0.3)
    or bias (against 0.9): the line is known, so no test data is needed to follow it."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loader = DataLoader(
        train_data,
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(0),  # (1)!
    )
    truth, gaps, steps = torch.tensor([0.3, 0.9]), [], 0
    for _ in range(epochs):
        model.train()
        for X_batch, y_batch in loader:
            loss = loss_fn(model(X_batch), y_batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            steps += 1
        with torch.no_grad():
            gaps.append((torch.cat([model.weight, model.bias]) - truth).abs().max())
    w, b = model.weight.item(), model.bias.item()
    print(f"batches of {batch_size}: {steps} steps, weight {w:.4f}, bias {b:.4f}")
    return torch.stack(gaps), steps // epochs


curves = {  # 300 optimizer steps each
    "full batch (80)": train_curve(batch_size=80, epochs=300),
    "mini-batches of 16": train_curve(batch_size=16, epochs=60),
}

fig, (by_epoch, by_step) = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
for name, (gaps, steps_per_epoch) in curves.items():
    epochs_run = torch.arange(1, len(gaps) + 1)
    by_epoch.plot(epochs_run[:60], gaps[:60], label=name)
    by_step.plot(epochs_run * steps_per_epoch, gaps, label=name)
by_epoch.set(title="Error per epoch (pass over the data)", xlabel="Epoch")
by_epoch.set(ylabel="Larger error of weight or bias", yscale="log")
by_step.set(title="Error per optimizer step", xlabel="Optimizer steps")
by_epoch.legend()
plt.show()
# --8<-- [end:full_or_mini]

# --8<-- [start:flat_batches]
flat_data = TensorDataset(X_train.squeeze(1), y_train.squeeze(1))  # (80,)
X_batch, y_batch = next(iter(DataLoader(flat_data, batch_size=16)))
print(f"X_batch {tuple(X_batch.shape)}, y_batch {tuple(y_batch.shape)}")
layer = nn.Linear(in_features=1, out_features=1)
layer(X_batch)  # raises RuntimeError
# --8<-- [end:flat_batches]

# --8<-- [start:mixed_up_tensors]
TensorDataset(X_train, y_test)  # raises AssertionError
# --8<-- [end:mixed_up_tensors]
