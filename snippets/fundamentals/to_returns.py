# Tensor.to returns a new tensor and leaves the old one; Module.to moves the module in place.
# --8<-- [start:to_returns]
import torch
from torch import nn

late_device = torch.device("meta")  # standing in for a GPU
torch.manual_seed(42)
X = torch.rand(8, 3)
X.to(late_device)  # (1)!
print(f"X.to(...) alone:      X is still on {X.device}")
X_moved = X.to(late_device)
print(f"X_moved = X.to(...):  X_moved on {X_moved.device}, X on {X.device}")
print(f"already there, no copy: {X.to('cpu') is X}")  # (2)!
model = nn.Linear(3, 1)
returned = model.to(late_device)  # (3)!
print(f"model.to(...) returns the model itself: {returned is model}")
print(f"model on {next(model.parameters()).device}")
# --8<-- [end:to_returns]
