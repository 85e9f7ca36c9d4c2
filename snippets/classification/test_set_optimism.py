# Harder moons and a bigger model that overfits: the best epoch on validation, and how much
# choosing the epoch on the test set would overstate the accuracy on new data.
# --8<-- [start:overfit]
import matplotlib.pyplot as plt
import torch
from sklearn.model_selection import train_test_split
from torch import nn

import ptx

X, y = ptx.make_moons(n_samples=300, noise=0.35, seed=42)  # few, noisy samples
X_new, y_new = ptx.make_moons(n_samples=10_000, noise=0.35, seed=7)  # stands in for the world
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.25, random_state=42)
print(f"train {len(X_train)}, validation {len(X_val)}, test {len(X_test)}, new {len(X_new)}")

torch.manual_seed(42)
model = ptx.Classifier(2, 1, hidden=(64, 64))  # far more weights than 180 samples need
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
evaluated, train_losses, val_losses, test_accs, new_correct = [], [], [], [], []
for epoch in range(1, 401):
    model.train()
    loss = loss_fn(model(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        model.eval()
        with torch.inference_mode():
            evaluated.append(epoch)
            train_losses.append(loss.detach())
            val_losses.append(loss_fn(model(X_val), y_val))
            test_accs.append(((model(X_test) > 0).float() == y_test).float().mean())
            new_correct.append(((model(X_new) > 0).float() == y_new).squeeze(1))
val_losses, test_accs = torch.stack(val_losses), torch.stack(test_accs)
new_correct = torch.stack(new_correct)  # (evaluations, 10000): right or wrong on each new sample
new_accs = new_correct.float().mean(dim=1)
best = int(val_losses.argmin())
best_epoch = evaluated[best]
print(f"lowest validation loss at epoch {best_epoch}")
print(
    f"accuracy on new data: at epoch {best_epoch} {new_accs[best]:.3f}, at 400 {new_accs[-1]:.3f}"
)

fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
ax.plot(evaluated, torch.stack(train_losses), label="training loss")
ax.plot(evaluated, val_losses, label="validation loss")
ax.axvline(best_epoch, color="gray", linestyle="--", label=f"best epoch ({best_epoch})")
ax.set(xlabel="epoch", ylabel="loss")
ax.set_title("Noisy moons, 2-64-64-1: the validation loss turns back up")
ax.legend()
plt.show()
# --8<-- [end:overfit]

# --8<-- [start:optimism]
n_tests = 2000
g = torch.Generator().manual_seed(0)
rows = torch.randint(0, len(X_new), (n_tests, len(X_test)), generator=g)  # 2000 test sets of 60
accs = new_correct[:, rows].float().mean(dim=2)  # (evaluations, 2000)

# choosing on the test set: each test set picks the epoch it scores best, and reports that score
picked = accs.argmax(dim=0)
reported_if_picked_on_test = accs.max(dim=0).values.mean().item()
true_if_picked_on_test = new_accs[picked].mean().item()
# choosing on validation: the epoch is fixed before any test set is looked at
reported_if_picked_on_val = accs[best].mean().item()
true_if_picked_on_val = new_accs[best].item()
print("                     | reported test acc. | true acc. (new data)")
print(
    f"picked on test       | {reported_if_picked_on_test:>18.3f} | {true_if_picked_on_test:>20.3f}"
)
print(f"picked on validation | {reported_if_picked_on_val:>18.3f} | {true_if_picked_on_val:>20.3f}")
# --8<-- [end:optimism]
