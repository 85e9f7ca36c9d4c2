# Matplotlib draws NumPy arrays, and only a tensor in the CPU's memory can become one.
# --8<-- [start:setup]
import matplotlib.pyplot as plt
import torch

import ptx

device = ptx.get_device()
X = torch.linspace(0, 1, 50, device=device)  # (1)!
y = 0.3 * X + 0.9
print(f"X and y on {y.device}")
# --8<-- [end:setup]

# --8<-- [start:other_device]
y_far = y.to("meta")  # (1)!
print(f"y_far on {y_far.device}")
y_far.numpy()  # raises TypeError
# --8<-- [end:other_device]

# --8<-- [start:fix]
X_np, y_np = X.cpu().numpy(), y.cpu().numpy()  # (1)!
print(type(y_np).__name__, y_np.shape, y_np.dtype)
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.scatter(X_np, y_np, s=10, label="y = 0.3x + 0.9")
ax.set(xlabel="X", ylabel="y")
ax.set_title("Plotted after moving the numbers to the CPU")
ax.legend()
plt.show()
# --8<-- [end:fix]
