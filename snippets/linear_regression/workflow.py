# The PyTorch workflow end to end on a straight line, in the order the page teaches it: data,
# a model, its predictions before training, the loss, the optimizer, training and testing,
# predictions after training, loss curves, and the same model built with nn.Linear.
# --8<-- [start:make_data]
import torch

weight, bias = 0.3, 0.9  # the answer the model has to find
X = torch.arange(0, 1, 0.01).unsqueeze(1)  # (1)!
y = weight * X + bias
print(f"X: {tuple(X.shape)}, y: {tuple(y.shape)}")
print(X[:3])  # one column: one feature per row
# --8<-- [end:make_data]

# --8<-- [start:split]
import matplotlib.pyplot as plt

n_train = int(0.8 * len(X))  # 80 points; no shuffling
X_train, y_train = X[:n_train], y[:n_train]
X_test, y_test = X[n_train:], y[n_train:]
print(f"train: {len(X_train)} points, test: {len(X_test)} points")

fig, ax = plt.subplots()
ax.scatter(X_train, y_train, c="b", s=4, label="Training data")
ax.scatter(X_test, y_test, c="g", s=4, label="Test data")
ax.set(title="80 training and 20 test points on y = 0.3x + 0.9", xlabel="X", ylabel="y")
ax.legend()
plt.show()
# --8<-- [end:split]


# --8<-- [start:model]
from torch import nn


class LinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1))  # (1)!
        self.bias = nn.Parameter(torch.randn(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x + self.bias  # (2)!


torch.manual_seed(42)
model = LinearRegressionModel()
print(model.state_dict())
print([name for name, _ in model.named_parameters()])
start_weight, start_bias = model.weight.item(), model.bias.item()
# --8<-- [end:model]

# --8<-- [start:before_training]
import ptx

model.eval()
with torch.inference_mode():
    y_pred = model(X_test)

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test, y_pred)
ax.set_title("Before training: predictions far below the test points")
plt.show()
# --8<-- [end:before_training]

# --8<-- [start:loss]
model.train()  # training mode: this forward pass is one to learn from
loss_fn = nn.L1Loss()  # mean absolute error
y_pred = model(X_train)  # the untrained model on the 80 training points
loss = loss_fn(y_pred, y_train)
mae = (y_pred - y_train).abs().mean()
print(f"nn.L1Loss():                     {loss:.4f}")
print(f"(y_pred - y_train).abs().mean(): {mae:.4f}")
print(f"identical: {torch.equal(loss, mae)}")

mse = nn.MSELoss()(y_pred, y_train)
mse_by_hand = (y_pred - y_train).pow(2).mean()
print(f"nn.MSELoss():                     {mse:.4f}")
print(f"(y_pred - y_train).pow(2).mean(): {mse_by_hand:.4f}")
print(f"identical: {torch.equal(mse, mse_by_hand)}")
# --8<-- [end:loss]

# --8<-- [start:optimizer]
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)  # (1)!

optimizer.zero_grad()  # (2)!
loss.backward()  # the L1 loss above: fills weight.grad and bias.grad
grad_w, grad_b = model.weight.grad.item(), model.bias.grad.item()
print(f"weight {model.weight.item():.4f}, weight.grad {grad_w:+.4f}")
print(f"bias   {model.bias.item():.4f}, bias.grad   {grad_b:+.4f}")

expected = model.weight.detach() - 0.01 * model.weight.grad  # by hand
optimizer.step()  # (3)!
w, b = model.weight.item(), model.bias.item()
print(f"after one step: weight {w:.4f}, bias {b:.4f}")
step_is_by_hand = torch.equal(model.weight.detach(), expected)
print(f"step == weight - lr * weight.grad: {step_is_by_hand}")
# --8<-- [end:optimizer]

# --8<-- [start:train_and_test]
torch.manual_seed(42)  # back to the seed-42 start: the step above moved the model
model = LinearRegressionModel()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
epochs = 300

train_losses, test_losses = [], []
for epoch in range(epochs):
    # training: the six steps
    model.train()
    y_pred = model(X_train)
    loss = loss_fn(y_pred, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    # testing: eval mode, no gradient tracking
    model.eval()
    with torch.inference_mode():
        test_pred = model(X_test)
        test_loss = loss_fn(test_pred, y_test)

    train_losses.append(loss.detach())  # (1)!
    test_losses.append(test_loss)
    if epoch % 20 == 0:
        print(f"epoch {epoch:3d} | train {loss:.3f} | test {test_loss:.3f}")

w, b = model.weight.item(), model.bias.item()
print(f"learned weight {w:.4f}, bias {b:.4f}")
# --8<-- [end:train_and_test]

# --8<-- [start:after_training]
model.eval()
with torch.inference_mode():
    y_pred = model(X_test)

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test, y_pred)
ax.set_title("After 300 epochs: predictions close to the test points")
plt.show()
# --8<-- [end:after_training]

# --8<-- [start:loss_curves]
fig, ax = plt.subplots()
ax.plot(torch.stack(train_losses), label="Train loss")
ax.plot(torch.stack(test_losses), label="Test loss")
ax.set(title="Loss curves (L1 loss, SGD lr=0.01)", xlabel="Epoch")
ax.set(ylabel="L1 loss (mean absolute error)")
ax.legend()
plt.show()

dip_epoch = int(torch.stack(test_losses[:100]).argmin())  # the early low point
print(f"test loss at its early low, epoch {dip_epoch}: {test_losses[dip_epoch]:.4f}")
print(f"test loss at epoch 80: {test_losses[80]:.4f}")
# --8<-- [end:loss_curves]


# --8<-- [start:nn_linear]
class LinearRegressionModelV2(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_layer = nn.Linear(in_features=1, out_features=1)  # (1)!

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear_layer(x)


torch.manual_seed(42)
model_v2 = LinearRegressionModelV2()
print(model_v2.state_dict())

# give it the numbers of the trained nn.Parameter model
with torch.no_grad():
    model_v2.linear_layer.weight.copy_(model.weight.view(1, 1))
    model_v2.linear_layer.bias.copy_(model.bias)
model_v2.eval()
with torch.inference_mode():
    same = torch.allclose(model_v2(X_test), model(X_test))
print(f"same predictions as the nn.Parameter model: {same}")
# --8<-- [end:nn_linear]
