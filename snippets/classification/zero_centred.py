# Is tanh better because it is zero-centred? Sigmoid and tanh, each also shifted, and ReLU,
# trained the same way on the moons from the same seeds.
# --8<-- [start:shapes]
import matplotlib.pyplot as plt
import torch
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from torch import nn


class Shifted(nn.Module):
    """An activation function moved up or down: f(x) + shift."""

    def __init__(self, f, shift=0.0):
        super().__init__()
        self.f, self.shift = f, shift

    def forward(self, x):
        return self.f(x) + self.shift


activations = {  # name: (function, shift)
    "sigmoid": (torch.sigmoid, 0.0),  # outputs in (0, 1), centred on 0.5
    "sigmoid - 0.5": (torch.sigmoid, -0.5),  # the same curve, centred on 0
    "tanh + 1": (torch.tanh, 1.0),  # the same curve as tanh, centred on 1
    "tanh": (torch.tanh, 0.0),  # outputs in (-1, 1), centred on 0
    "relu": (torch.relu, 0.0),  # never negative
}
x = torch.linspace(-5, 5, 201, requires_grad=True)
fig, (ax_out, ax_slope) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
for (name, (f, shift)), style in zip(activations.items(), ("-", "--", "-.", ":", "-"), strict=True):
    out = Shifted(f, shift)(x)
    (slope,) = torch.autograd.grad(out.sum(), x)
    ax_out.plot(x.detach(), out.detach(), style, label=name)
    ax_slope.plot(x.detach(), slope, style, label=name)
    print(
        f"{name:<13} output at 0: {shift + f(torch.tensor(0.0)):>4.1f}, largest slope {slope.max():.2f}"
    )
ax_out.set(title="Output", xlabel="x", ylim=(-1.2, 2.4))
ax_slope.set(title="Slope (what backpropagation multiplies by)", xlabel="x")
ax_out.legend(fontsize=8)
fig.suptitle("Shifting an activation moves its centre, not its slope")
plt.show()
# --8<-- [end:shapes]

# --8<-- [start:train]
X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
X = torch.from_numpy(X).type(torch.float32)
y = torch.from_numpy(y).type(torch.float32).unsqueeze(1)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
epochs, eval_every, seeds = 250, 50, (0, 1, 2, 3)
loss_fn = nn.BCEWithLogitsLoss()


def train(f, shift, seed):
    """The exercise's 2-10-10-1 model and SGD(lr=0.1); validation accuracy every 50 epochs."""
    torch.manual_seed(seed)  # the same starting weights for every activation
    model = nn.Sequential(
        nn.Linear(2, 10), Shifted(f, shift), nn.Linear(10, 10), Shifted(f, shift), nn.Linear(10, 1)
    )
    with torch.no_grad():
        hidden_mean = model[:2](X_train).mean()  # average output of the first hidden layer
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    val_accs = []
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % eval_every == 0:
            model.eval()
            with torch.inference_mode():
                val_accs.append(((model(X_val) > 0).float() == y_val).float().mean())
    return hidden_mean, torch.stack(val_accs)


results = {}  # name -> (mean hidden output, validation accuracies: seeds x evaluations)
for name, (f, shift) in activations.items():
    runs = [train(f, shift, seed) for seed in seeds]
    results[name] = (
        torch.stack([m for m, _ in runs]).mean(),
        torch.stack([accs for _, accs in runs]),
    )
evaluated = list(range(eval_every, epochs + 1, eval_every))
print(f"validation accuracy, mean over seeds {seeds}; SGD lr=0.1")
print("activation    | hidden mean | " + " | ".join(f"ep {e:>3}" for e in evaluated))
for name, (hidden_mean, accs) in results.items():
    means = " | ".join(f"{a:>6.3f}" for a in accs.mean(dim=0))
    print(f"{name:<13} | {hidden_mean:>11.3f} | {means}")
# --8<-- [end:train]
