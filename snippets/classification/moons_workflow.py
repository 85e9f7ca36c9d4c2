# The binary workflow in plain PyTorch: moons -> tensors -> the device -> a model -> its outputs
# before training -> a training loop with accuracy -> the outputs and the boundary after training.
# --8<-- [start:make_data]
import matplotlib.pyplot as plt
import torch
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from torch import nn

X, y = make_moons(n_samples=1000, noise=0.03, random_state=42)
print(f"X: {type(X).__name__} of {X.dtype}, shape {X.shape}")
print(f"y: {type(y).__name__} of {y.dtype}, shape {y.shape}")
print("first 3 samples:", X[:3].round(3).tolist(), "labels:", y[:3].tolist())
# --8<-- [end:make_data]

# --8<-- [start:float64_error]
torch.manual_seed(42)
layer = nn.Linear(2, 10)
print(f"the layer's weight is {layer.weight.dtype}")
layer(torch.from_numpy(X))  # raises RuntimeError
# --8<-- [end:float64_error]

# --8<-- [start:to_tensors]
X = torch.from_numpy(X).type(torch.float32)
y = torch.from_numpy(y).type(torch.float32).unsqueeze(1)  # (1000,) -> (1000, 1)
print(f"X {X.dtype} {tuple(X.shape)}, y {y.dtype} {tuple(y.shape)}")
# --8<-- [end:to_tensors]

# --8<-- [start:split]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
print(f"train {len(X_train)}, test {len(X_test)}; share of class 1 in train {y_train.mean():.3f}")

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
for label, color in ((0, "#d95f02"), (1, "#2166ac")):
    rows = y_train.squeeze(1) == label
    ax.scatter(*X_train[rows].T, s=10, color=color, label=f"class {label}")
ax.set(title="The moons: 800 training samples, two classes", xlabel="X[:, 0]", ylabel="X[:, 1]")
ax.legend()
plt.show()
# --8<-- [end:split]

# --8<-- [start:device]
if torch.cuda.is_available():
    device = torch.device("cuda")
elif torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
X_train, y_train = X_train.to(device), y_train.to(device)
X_test, y_test = X_test.to(device), y_test.to(device)
print(f"device: {device}; X_train on {X_train.device}, X_test on {X_test.device}")
# --8<-- [end:device]


# --8<-- [start:model]
class MoonModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(in_features=2, out_features=10)  # 2 features per sample
        self.layer_2 = nn.Linear(in_features=10, out_features=10)
        self.layer_3 = nn.Linear(in_features=10, out_features=1)  # one number per sample
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.layer_3(self.relu(self.layer_2(self.relu(self.layer_1(x)))))


torch.manual_seed(42)
model = MoonModel().to(device)  # made on the CPU, then moved: the same weights on any device
print(model)
print(f"{sum(p.numel() for p in model.parameters())} parameters")
# --8<-- [end:model]

# --8<-- [start:untrained]
model.eval()  # (1)!
with torch.inference_mode():  # (2)!
    y_logits = model(X_test)
y_probs = torch.sigmoid(y_logits)  # any real number -> between 0 and 1
y_pred = torch.round(y_probs)  # 0. below 0.5, 1. above
print("logits:       ", y_logits[:5].squeeze(1))
print("probabilities:", y_probs[:5].squeeze(1))
print("labels:       ", y_pred[:5].squeeze(1))
print("true labels:  ", y_test[:5].squeeze(1))
print("logit > 0 gives the same labels:", torch.equal(y_pred, (y_logits > 0).float()))
untrained_acc = (y_pred == y_test).float().mean().item()
print(f"accuracy before training: {untrained_acc:.3f}")
# --8<-- [end:untrained]


# --8<-- [start:train_loop]
def accuracy(y_logits, y):
    """Share of samples whose logit is on the side of 0 that their label says."""
    return ((y_logits > 0).float() == y).float().mean()


loss_fn = nn.BCEWithLogitsLoss()  # takes logits: the sigmoid is built in
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
epochs, eval_every, print_every = 600, 10, 100

evaluated, test_accs = [], []
for epoch in range(1, epochs + 1):
    model.train()  # training mode
    y_logits = model(X_train)  # forward pass
    loss = loss_fn(y_logits, y_train)  # loss
    optimizer.zero_grad()  # clear the old gradients
    loss.backward()  # backpropagation
    optimizer.step()  # update the weights

    if epoch % eval_every == 0:
        model.eval()
        with torch.inference_mode():
            test_logits = model(X_test)
            test_loss = loss_fn(test_logits, y_test)
        evaluated.append(epoch)
        test_accs.append(accuracy(test_logits, y_test))
        if epoch % print_every == 0:
            print(
                f"epoch {epoch:>3} | train loss {loss:.4f}, acc {accuracy(y_logits, y_train):.3f}"
                f" | test loss {test_loss:.4f}, acc {test_accs[-1]:.3f}"
            )

test_accs = torch.stack(test_accs)
first_96 = evaluated[int((test_accs > 0.96).nonzero()[0])]
final_test_acc = test_accs[-1].item()
print(f"test accuracy first above 0.96 at epoch {first_96}; after {epochs}: {final_test_acc:.3f}")
# --8<-- [end:train_loop]

# --8<-- [start:trained]
model.eval()
with torch.inference_mode():
    y_logits = model(X_test).cpu()  # Matplotlib draws CPU numbers
y_probs = torch.sigmoid(y_logits)
y_pred = (y_logits > 0).float()
y_true = y_test.cpu()
wrong_side = int((y_pred != y_true).sum())
print(f"test samples on the wrong side of the threshold: {wrong_side} of {len(y_true)}")

z = torch.linspace(y_logits.min() - 1, y_logits.max() + 1, 200)
fig, ax = plt.subplots(figsize=(7, 3.5), layout="constrained")
ax.plot(z, torch.sigmoid(z), color="gray", label="sigmoid")
for label, color in ((0, "#d95f02"), (1, "#2166ac")):
    rows = y_true.squeeze(1) == label
    ax.scatter(y_logits[rows], y_probs[rows], s=12, color=color, label=f"true label {label}")
ax.axvline(0, color="k", linewidth=0.8)
ax.axhline(0.5, color="k", linewidth=0.8, linestyle="--")
ax.set(xlabel="logit (model output)", ylabel="probability of class 1")
ax.set_title("The 200 test samples on the sigmoid after training: logit > 0 is probability > 0.5")
ax.legend(fontsize=8)
plt.show()
# --8<-- [end:trained]

# --8<-- [start:boundary]
xx, yy = torch.meshgrid(  # a 100 x 100 grid over the plane around the data
    torch.linspace(X[:, 0].min() - 0.2, X[:, 0].max() + 0.2, 100),
    torch.linspace(X[:, 1].min() - 0.2, X[:, 1].max() + 0.2, 100),
    indexing="xy",
)
grid = torch.stack([xx.ravel(), yy.ravel()], dim=1)  # (10000, 2): one row per grid point
model.eval()
with torch.inference_mode():
    grid_pred = (model(grid.to(device)) > 0).float().reshape(xx.shape).cpu()  # class everywhere

fig, ax = plt.subplots(figsize=(6, 3.6), layout="constrained")
ax.contourf(xx, yy, grid_pred, levels=[-0.5, 0.5, 1.5], colors=["#fdd9b5", "#c6dbef"])
for label, color in ((0, "#d95f02"), (1, "#2166ac")):
    rows = y_true.squeeze(1) == label
    ax.scatter(*X_test.cpu()[rows].T, s=12, color=color, edgecolors="#222222", linewidths=0.5)
ax.set(title="Predicted class over the plane, with the test samples", xlabel="X[:, 0]")
plt.show()
# --8<-- [end:boundary]
