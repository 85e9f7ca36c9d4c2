# A model's output remembers how it was computed: NumPy (and so Matplotlib) wants it detached.
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
print(f"y_pred.requires_grad: {y_pred.requires_grad}, grad_fn: {y_pred.grad_fn.name()}")
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

# --8<-- [start:detach]
y_detached = y_pred.detach()  # (1)!
print(
    f"requires_grad {y_detached.requires_grad}, "
    f"same numbers in memory: {y_detached.data_ptr() == y_pred.data_ptr()}"
)
y_pred_np = y_pred.detach().cpu().numpy()  # (2)!
print(type(y_pred_np).__name__, y_pred_np.shape, y_pred_np.dtype)

fig, ax = plt.subplots(figsize=(6, 3.2))
X_np, y_np = X.cpu().numpy(), y.cpu().numpy()
ax.scatter(X_np, y_np, s=10, label="y = 0.3x + 0.9")
ax.plot(X_np, y_pred_np, color="C1", label="the untrained layer")
ax.set(xlabel="X", ylabel="y")
ax.set_title("A layer's output, detached and moved to the CPU")
ax.legend()
plt.show()
# --8<-- [end:detach]

# --8<-- [start:inference_mode]
with torch.inference_mode():  # (1)!
    y_pred = model(X)
print(f"under inference_mode: requires_grad={y_pred.requires_grad}")
print(type(y_pred.cpu().numpy()).__name__)
# --8<-- [end:inference_mode]
