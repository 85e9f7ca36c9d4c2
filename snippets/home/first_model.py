# A first taste of the site: a straight line, a model that learns it, and a picture.
# --8<-- [start:make_data]
import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(42)
weight, bias = 0.3, 0.9
X = torch.arange(0, 1, 0.01).unsqueeze(1)
y = weight * X + bias
print(f"X: {tuple(X.shape)}, y: {tuple(y.shape)}")
# --8<-- [end:make_data]

# --8<-- [start:train]
model = nn.Linear(1, 1)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(300):
    loss = loss_fn(model(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(f"learned weight {model.weight.item():.3f}, bias {model.bias.item():.3f}")
# --8<-- [end:train]

# --8<-- [start:plot]
with torch.inference_mode():
    y_pred = model(X)
fig, ax = plt.subplots()
ax.scatter(X, y, s=8, label="data")
ax.plot(X, y_pred, color="C1", label="model")
ax.set_title("A straight line learned in 300 steps")
ax.legend()
plt.show()
# --8<-- [end:plot]

# --8<-- [start:mistake]
model(torch.ones(3))  # raises RuntimeError
# --8<-- [end:mistake]
