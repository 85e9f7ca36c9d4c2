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

# --8<-- [start:attributes]
print(f"shape:  {X.shape}")
print(f"dtype:  {X.dtype}")
print(f"device: {X.device}")
# --8<-- [end:attributes]
