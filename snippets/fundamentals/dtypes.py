# float32 is PyTorch's default; NumPy and scikit-learn hand you float64; converting between dtypes.
# --8<-- [start:defaults]
import torch

print(f"torch.tensor([1.0, 2.0]): {torch.tensor([1.0, 2.0]).dtype}")
print(f"torch.rand(2):            {torch.rand(2).dtype}")
print(f"torch.tensor([1, 2]):     {torch.tensor([1, 2]).dtype}")
print(f"torch.tensor([True]):     {torch.tensor([True]).dtype}")
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

# --8<-- [start:convert]
x = torch.tensor([1.7, -2.5, 3.2])
print(f"x.to(torch.float16): {x.to(torch.float16)}")
print(f"x.long():            {x.long()}")  # (1)!
print(f"x.type(torch.int32): {x.type(torch.int32)}")
X32 = X.float()  # (2)!
print(f"X.float(): {X32.dtype}, a new tensor: {X32 is not X}")
print(f"X32.float() is X32: {X32.float() is X32}")  # (3)!
# --8<-- [end:convert]

# --8<-- [start:attributes]
print(f"shape:  {X.shape}")
print(f"dtype:  {X.dtype}")
print(f"device: {X.device}")
# --8<-- [end:attributes]
