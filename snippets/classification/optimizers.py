# SGD against Adam on the spirals, at a few learning rates: loss and validation accuracy.
# --8<-- [start:data]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_spirals(points_per_class=100, classes=3, seed=42)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42)
print(f"X_train {tuple(X_train.shape)}, X_val {tuple(X_val.shape)}: the test set stays unused")
# --8<-- [end:data]

# --8<-- [start:compare]
epochs, eval_every = 250, 10
settings = [("SGD", 0.1), ("SGD", 1.0), ("Adam", 0.001), ("Adam", 0.01), ("Adam", 0.03)]


def train(optimizer_name, lr):
    """My 2-10-10-10-3 model; full batch; loss and validation accuracy every 10 epochs."""
    torch.manual_seed(42)  # every run starts from the same weights
    model = ptx.Classifier(2, 3, hidden=(10, 10, 10))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = getattr(torch.optim, optimizer_name)(model.parameters(), lr=lr)
    losses, accs = [], []
    for epoch in range(1, epochs + 1):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % eval_every == 0:
            model.eval()
            with torch.inference_mode():
                accs.append((model(X_val).argmax(dim=1) == y_val).float().mean())
            losses.append(loss.detach())  # a tensor: no .item() inside the loop
    return torch.stack(losses), torch.stack(accs)


curves = {setting: train(*setting) for setting in settings}
evaluated = torch.arange(eval_every, epochs + 1, eval_every)
print("optimizer     lr | val. acc. at 250 | first epoch >= 95 %")
for (name, lr), (_, accs) in curves.items():
    reached = evaluated[accs >= 0.95]
    first = f"{reached[0].item()}" if len(reached) else "not in 250"
    print(f"{name:<5} {lr:>10} | {accs[-1]:>16.3f} | {first:>18}")
adam_003_first_95 = int(evaluated[curves["Adam", 0.03][1] >= 0.95][0])
# --8<-- [end:compare]

# --8<-- [start:curves]
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(9, 3.8), layout="constrained")
for (name, lr), (losses, accs) in curves.items():
    style = "--" if name == "SGD" else "-"
    ax_loss.plot(evaluated, losses, style, label=f"{name} lr={lr}")
    ax_acc.plot(evaluated, accs, style, label=f"{name} lr={lr}")
ax_loss.set(title="Training loss", xlabel="epoch", yscale="log")
ax_acc.set(title="Validation accuracy", xlabel="epoch", ylim=(0.2, 1.02))
ax_acc.axhline(0.95, color="gray", linewidth=0.8)
ax_loss.legend(fontsize=8, loc="lower left")
fig.suptitle("Spirals, the same model and start: SGD (dashed) and Adam (solid)")
plt.show()
# --8<-- [end:curves]
