# float32 is PyTorch's default; NumPy and scikit-learn hand you float64.
# --8<-- [start:defaults]
import torch
from torch import nn

print(f"torch.tensor([1.0, 2.0]): {torch.tensor([1.0, 2.0]).dtype}")
print(f"torch.rand(2):            {torch.rand(2).dtype}")
print(f"torch.tensor([1, 2]):     {torch.tensor([1, 2]).dtype}")
print(f"torch.tensor([True]):     {torch.tensor([True]).dtype}")
torch.manual_seed(42)
model = nn.Linear(2, 1)
print(f"nn.Linear's weight:       {model.weight.dtype}")
# --8<-- [end:defaults]

# --8<-- [start:numpy_float64]
import numpy as np
from sklearn.datasets import make_moons

print(f"np.array([1.0, 2.0]):     {np.array([1.0, 2.0]).dtype}")
X_np, y_np = make_moons(n_samples=4, noise=0.03, random_state=42)  # (1)!
print(f"make_moons X: {X_np.dtype}, y: {y_np.dtype}")
X = torch.from_numpy(X_np)  # (2)!
print(f"torch.from_numpy(X_np):   {X.dtype}")
# --8<-- [end:numpy_float64]

# --8<-- [start:dtype_mismatch]
model(X)  # raises RuntimeError
# --8<-- [end:dtype_mismatch]

# --8<-- [start:fix_float]
X = torch.from_numpy(X_np).float()  # (1)!
same = torch.tensor(X_np, dtype=torch.float32)  # (2)!
print(f"X: {X.dtype}, equal: {torch.equal(X, same)}")
print(f"model(X): shape {tuple(model(X).shape)}, {model(X).dtype}")
# --8<-- [end:fix_float]

# --8<-- [start:lower_precision]
half = torch.tensor([1.0], dtype=torch.float16)
single = torch.tensor([1.0])  # float32
print(f"bytes per number: float16 {half.element_size()}, float32 {single.element_size()}")
eps16, eps32 = torch.finfo(torch.float16).eps, torch.finfo(torch.float32).eps  # (1)!
print(f"gap after 1.0:    float16 {eps16:.7f}, float32 {eps32:.7f}")
plus16, plus32 = (half + 0.0001).item(), (single + 0.0001).item()
print(f"1 + 0.0001:       float16 {plus16:.4f}, float32 {plus32:.4f}")
# --8<-- [end:lower_precision]

# --8<-- [start:attributes]
print(f"shape:  {X.shape}")
print(f"dtype:  {X.dtype}")
print(f"device: {X.device}")
# --8<-- [end:attributes]
