# A first taste of the site: a straight line, a model that learns it, a picture, and a mistake.
# --8<-- [start:make_data]
import matplotlib.pyplot as plt
import torch
from torch import nn

weight, bias = 0.3, 0.9  # the line the model has to find
X = torch.arange(0, 1, 0.01).unsqueeze(1)  # 100 rows of 1 feature
y = weight * X + bias
print(f"X: {tuple(X.shape)}, y: {tuple(y.shape)}")
# --8<-- [end:make_data]

# --8<-- [start:train]
torch.manual_seed(42)  # the model starts from random weights: fix them
model = nn.Linear(in_features=1, out_features=1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(300):
    model.train()
    y_pred = model(X)  # forward pass
    loss = loss_fn(y_pred, y)
    optimizer.zero_grad()
    loss.backward()  # backpropagation
    optimizer.step()
w, b = model.weight.item(), model.bias.item()
print(f"after {epoch + 1} epochs: weight {w:.3f}, bias {b:.3f}")
# --8<-- [end:train]

# --8<-- [start:plot]
model.eval()
with torch.inference_mode():
    y_pred = model(X)
fig, ax = plt.subplots()
ax.scatter(X, y, s=24, label="data: y = 0.3 X + 0.9")
ax.plot(X, y_pred, color="C1", label="the model's predictions")
ax.set_title("A straight line learned in 300 steps")
ax.set(xlabel="X", ylabel="y")
ax.legend()
plt.show()
# --8<-- [end:plot]

# --8<-- [start:mistake]
print(model(torch.ones(3).unsqueeze(1)).shape)  # 3 rows of 1 feature
model(torch.ones(3))  # raises RuntimeError
# --8<-- [end:mistake]
