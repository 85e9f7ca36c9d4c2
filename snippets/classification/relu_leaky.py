# ReLU and LeakyReLU: their shapes and slopes, then how many units each leaves switched off.
# --8<-- [start:plot]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

x = torch.linspace(-4, 4, 401, requires_grad=True)
activations = {
    "ReLU": nn.ReLU(),
    "LeakyReLU (default slope 0.01)": nn.LeakyReLU(),
    "LeakyReLU(0.1), to see the slope": nn.LeakyReLU(0.1),
}
fig, (ax_value, ax_slope) = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
for (name, activation), style in zip(activations.items(), ("-", "--", ":"), strict=True):
    out = activation(x)
    (slope,) = torch.autograd.grad(out.sum(), x)  # d out / d x at every point
    ax_value.plot(x.detach(), out.detach(), style, label=name)
    ax_slope.plot(x.detach(), slope, style, label=name)
ax_value.set(title="Output", xlabel="x")
ax_slope.set(title="Gradient (what backpropagation passes on)", xlabel="x")
ax_value.legend(fontsize=8)
fig.suptitle("ReLU and LeakyReLU")
plt.show()
# --8<-- [end:plot]

# --8<-- [start:dead_units]
X, y = ptx.make_moons(n_samples=1000, noise=0.03, seed=42)
# three parts, as on the rest of the page: the comparison uses validation, the test set stays unseen
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=42)
epochs, lr, seeds = 150, 0.03, (0, 1, 2, 3)


def switched_off(model, X):
    """Hidden units whose input to the activation is <= 0 for every row of X (20 units in all)."""
    count, h = 0, X
    model.eval()
    with torch.inference_mode():
        for layer in model.layers[:-1]:
            h = layer(h)
            if isinstance(layer, nn.Linear):
                count += int((h <= 0).all(dim=0).sum())
    return count


def train(seed, activation, hidden=(10, 10), epochs=epochs):
    """The exercise's model with this activation, from this seed; Adam, full batch."""
    torch.manual_seed(seed)
    model = ptx.Classifier(2, 1, hidden=hidden, activation=activation)
    off_at_start = switched_off(model, X_train)
    loss_fn = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.inference_mode():
        acc = ((model(X_val) > 0).float() == y_val).float().mean().item()
    return off_at_start, switched_off(model, X_train), acc


results = {}
print("seed | activation | off at start | off after training | validation accuracy")
for seed in seeds:
    for activation in ("relu", "leaky_relu"):
        results[seed, activation] = train(seed, activation)
        off_at_start, off_after, acc = results[seed, activation]
        print(f"{seed:>4} | {activation:<10} | {off_at_start:>12} | {off_after:>18} | {acc:.3f}")
stuck_relu, stuck_leaky = results[0, "relu"][2], results[0, "leaky_relu"][2]  # seed 0
other_seeds_worst = min(results[seed, a][2] for seed in seeds[1:] for a in ("relu", "leaky_relu"))
# --8<-- [end:dead_units]

# --8<-- [start:seed_0]
seed_0 = {}  # (hidden, epochs, activation) -> (off at start, off after training, accuracy)
print("seed 0 | hidden   | epochs | activation | units off after | validation accuracy")
for hidden, epochs_0 in (((10, 10), 600), ((20, 20), 150)):
    for activation in ("relu", "leaky_relu"):
        seed_0[hidden, epochs_0, activation] = train(0, activation, hidden, epochs_0)
        _, off_after, acc = seed_0[hidden, epochs_0, activation]
        print(
            f"{0:>6} | {str(hidden):<8} | {epochs_0:>6} | {activation:<10} | "
            f"{off_after:>4} of {sum(hidden):<2}    | {acc:.3f}"
        )
longer = [seed_0[(10, 10), 600, a][2] for a in ("relu", "leaky_relu")]
wider = [seed_0[(20, 20), 150, a][2] for a in ("relu", "leaky_relu")]
longer_best, wider_worst = max(longer), min(wider)
# --8<-- [end:seed_0]

# --8<-- [start:no_gradient]
grads_of_off_units = {}
for activation in ("relu", "leaky_relu"):
    torch.manual_seed(3)
    model = ptx.Classifier(2, 1, hidden=(10, 10), activation=activation)
    model.train()
    first_layer = model.layers[0]
    with torch.no_grad():
        off = (first_layer(X_train) <= 0).all(dim=0)  # first-layer units off on every sample
    loss = nn.BCEWithLogitsLoss()(model(X_train), y_train)
    loss.backward()
    grad_rows = first_layer.weight.grad[off].abs().sum(dim=1)  # one number per switched-off unit
    grads_of_off_units[activation] = grad_rows
    print(
        f"{activation:<10}: units off {off.nonzero().flatten().tolist()}, "
        f"their weight gradients {grad_rows.tolist()}"
    )
# --8<-- [end:no_gradient]
