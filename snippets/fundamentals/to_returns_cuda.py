# needs: cuda
# Tensor.to and Module.to on an NVIDIA GPU (recorded on a GPU machine).
# --8<-- [start:to_returns]
import torch
from torch import nn

X = torch.rand(8, 3)
X_moved = X.to("cuda")
print(f"X_moved on {X_moved.device}, X on {X.device}")
model = nn.Linear(3, 1)
print(f"model.to('cuda') is model: {model.to('cuda') is model}")
print(f"model on {next(model.parameters()).device}")
# --8<-- [end:to_returns]
