# Debugging a model that does not learn: can it fit a straight line? The circles' model without
# activations, given one input, on the linear regression chapter's line.
import matplotlib.pyplot as plt
import torch
from torch import nn

import ptx

X_regression, y_regression = ptx.make_line(weight=0.3, bias=0.9)  # the linear regression line
X_train_regression, X_test_regression, y_train_regression, y_test_regression = ptx.split_train_test(
    X_regression, y_regression
)
torch.manual_seed(42)
model_line = nn.Sequential(nn.Linear(1, 10), nn.Linear(10, 10), nn.Linear(10, 1))  # no activation
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model_line.parameters(), lr=0.002)
for epoch in range(1, 1001):
    model_line.train()
    loss = loss_fn(model_line(X_train_regression), y_train_regression)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 200 == 0:
        model_line.eval()
        with torch.inference_mode():
            test_loss = loss_fn(model_line(X_test_regression), y_test_regression).item()
        print(f"epoch {epoch:>4} | train loss {loss:.4f} | test loss {test_loss:.4f}")

model_line.eval()
with torch.inference_mode():
    y_preds = model_line(X_test_regression)
    at_0, at_1 = model_line(torch.tensor([[0.0], [1.0]])).squeeze(1).tolist()
line_bias, line_weight = at_0, at_1 - at_0  # three linear layers: still one straight line
print(f"the three layers together: y = {line_weight:.3f} x + {line_bias:.3f}")
ptx.plot_predictions(
    X_train_regression, y_train_regression, X_test_regression, y_test_regression, y_preds
).set_title("Three linear layers, no activation, fitted to y = 0.3x + 0.9")
plt.show()
