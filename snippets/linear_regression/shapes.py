# The shape mistakes of the linear regression workflow, each with the message torch (or
# matplotlib) gives, and how to see them coming.
# --8<-- [start:features_without_unsqueeze]
import torch
from torch import nn

X_flat = torch.arange(0, 1, 0.01)  # forgot .unsqueeze(1)
print(f"X_flat: {tuple(X_flat.shape)}")
print(f"X_flat.unsqueeze(1): {tuple(X_flat.unsqueeze(1).shape)}")
torch.manual_seed(42)
nn.Linear(in_features=1, out_features=1)(X_flat)  # raises RuntimeError
# --8<-- [end:features_without_unsqueeze]

# --8<-- [start:targets_without_unsqueeze]
import ptx

X = torch.arange(0, 1, 0.01).unsqueeze(1)  # (100, 1): right
y_flat = 0.3 * torch.arange(0, 1, 0.01) + 0.9  # (100,): forgot it here
X_train, y_train_flat = X[:80], y_flat[:80]

model = ptx.LinearRegression()
with torch.no_grad():
    model.weight.fill_(0.3)  # the perfect line, to see what each loss says
    model.bias.fill_(0.9)
model.eval()
with torch.inference_mode():
    y_pred = model(X_train)
print(f"y_pred {tuple(y_pred.shape)}, y_train {tuple(y_train_flat.shape)}")
print(f"y_pred - y_train: {tuple((y_pred - y_train_flat).shape)}")  # (1)!
per_point = nn.L1Loss(reduction="none")(y_pred, y_train_flat)
print(f"per-point losses: {tuple(per_point.shape)}, {per_point.numel()} for 80 points")
wrong = nn.L1Loss()(y_pred, y_train_flat)
right = nn.L1Loss()(y_pred, y_train_flat.unsqueeze(1))
print(f"L1 loss of the perfect line, (80,) targets:   {wrong:.4f}")
print(f"L1 loss of the perfect line, (80, 1) targets: {right:.4f}")
# --8<-- [end:targets_without_unsqueeze]


# --8<-- [start:trains_wrong]
import matplotlib.pyplot as plt


def train(y_train, epochs=100):
    """Train the seed-42 model with MSE and SGD at lr=0.5, a step size that suits MSE here."""
    torch.manual_seed(42)
    model = ptx.LinearRegression()
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(epochs):
        model.train()
        loss = loss_fn(model(X_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return model


wrong_model = train(y_train_flat)
right_model = train(y_train_flat.unsqueeze(1))
for name, trained in [("(80,)  ", wrong_model), ("(80, 1)", right_model)]:
    w, b = trained.weight.item(), trained.bias.item()
    print(f"{name} targets: weight {w:.4f}, bias {b:.4f}")
target_mean = y_train_flat.mean()
print(f"mean of all training targets: {target_mean:.4f}")
flat_weight, flat_bias = wrong_model.weight.item(), wrong_model.bias.item()
x_middle = X_train.mean()  # the middle of the training data
height_at_middle = flat_weight * x_middle + flat_bias
print(f"(80,)   targets: height at x = {x_middle:.3f}: {height_at_middle:.4f}")
longer_model = train(y_train_flat, epochs=300)
longer_weight, longer_bias = longer_model.weight.item(), longer_model.bias.item()
print(f"(80,)   targets, 300 epochs: weight {longer_weight:.4f}, bias {longer_bias:.4f}")

ends = X[[0, -1]]  # two points draw a straight line
fig, ax = plt.subplots()
ax.scatter(X_train, y_train_flat, s=6, c="b", label="Training data")
wrong_model.eval()
right_model.eval()
with torch.inference_mode():
    ax.plot(ends, wrong_model(ends), c="C3", label="Targets (80,)")
    ax.plot(ends, right_model(ends), c="C2", ls="--", label="Targets (80, 1)")
ax.set(title="One missing unsqueeze(1): a flat line at the mean")
ax.set(xlabel="X", ylabel="y")
ax.legend()
plt.show()
# --8<-- [end:trains_wrong]

# --8<-- [start:plot_columns]
X_test, y_test = X[80:], y_flat[80:].unsqueeze(1)
right_model.eval()
with torch.inference_mode():
    errors = (right_model(X_test) - y_test).abs()  # (20, 1), like y_pred

fig, ax = plt.subplots()
ax.bar(X_test.squeeze(1), errors.squeeze(1), width=0.008)  # 1-D: fine
ax.set(title="Test error per point, from squeezed (20,) tensors")
ax.set(xlabel="X")
ax.set(ylabel="|prediction - target|")
print(f"X_test {tuple(X_test.shape)}, errors {tuple(errors.shape)}")
ax.bar(X_test, errors, width=0.008)  # raises TypeError
# --8<-- [end:plot_columns]

# --8<-- [start:see_it_coming]
torch.manual_seed(42)
model = ptx.LinearRegression()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
print(f"X_train {tuple(X_train.shape)}, y_train {tuple(y_train_flat.shape)}")
ptx.train_step(model, X_train, y_train_flat, nn.MSELoss(), optimizer)  # raises ValueError
# --8<-- [end:see_it_coming]
