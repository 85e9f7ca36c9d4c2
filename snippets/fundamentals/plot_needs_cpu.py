# Matplotlib draws NumPy arrays: detach a tensor and bring it to the CPU before plotting it.
# --8<-- [start:setup]
import matplotlib.pyplot as plt
import torch
from torch import nn

import ptx

device = ptx.get_device()
torch.manual_seed(42)
X = torch.linspace(0, 1, 50, device=device).unsqueeze(1)
y = 0.3 * X + 0.9
model = nn.Linear(1, 1).to(device)
y_pred = model(X)
print(f"y_pred: shape {tuple(y_pred.shape)}, on {y_pred.device}")
print(f"y_pred.requires_grad: {y_pred.requires_grad}")
# --8<-- [end:setup]

# --8<-- [start:cpu_not_enough]
y_pred.cpu().numpy()  # raises RuntimeError
# --8<-- [end:cpu_not_enough]

# --8<-- [start:matplotlib_too]
fig, ax = plt.subplots()
try:
    ax.plot(X, y_pred)  # (1)!
except RuntimeError as error:
    print(f"ax.plot raised RuntimeError: {error}")
plt.close(fig)
# --8<-- [end:matplotlib_too]

# --8<-- [start:other_device]
y_far = y_pred.detach().to("meta")  # (1)!
print(f"y_far on {y_far.device}, requires_grad={y_far.requires_grad}")
y_far.numpy()  # raises TypeError
# --8<-- [end:other_device]

# --8<-- [start:fix]
y_pred_np = y_pred.detach().cpu().numpy()  # (1)!
print(type(y_pred_np).__name__, y_pred_np.shape, y_pred_np.dtype)

model.eval()  # (2)!
with torch.inference_mode():  # (3)!
    y_pred = model(X)
print(f"under inference_mode: requires_grad={y_pred.requires_grad}")

fig, ax = plt.subplots(figsize=(6, 3.2))
X_np, y_np = X.cpu().numpy(), y.cpu().numpy()
ax.scatter(X_np, y_np, s=10, label="data: y = 0.3x + 0.9")
ax.plot(X_np, y_pred.cpu().numpy(), color="C1", label="untrained model")
ax.set(xlabel="X", ylabel="y")
ax.set_title("Plotted after moving the numbers to the CPU")
ax.legend()
plt.show()
# --8<-- [end:fix]
