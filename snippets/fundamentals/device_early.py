# Pick the device once, at the top, and create every tensor and model on it.
# --8<-- [start:cuda_hard_coded]
import torch

print(f"CUDA available: {torch.cuda.is_available()}")
X = torch.rand(2, 3, device="cuda:0")  # raises AssertionError
# --8<-- [end:cuda_hard_coded]

# --8<-- [start:pick_device]
if torch.cuda.is_available():
    device = torch.device("cuda")
elif torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
print(f"device: {device}")
# --8<-- [end:pick_device]

# --8<-- [start:ptx_device]
import ptx

print(f"ptx.get_device(): {ptx.get_device()}")
print(f"the same choice: {ptx.get_device() == device}")
# --8<-- [end:ptx_device]

# --8<-- [start:on_device]
from torch import nn

torch.manual_seed(42)
X = torch.rand(8, 3, device=device)  # (1)!
model = nn.Linear(3, 1).to(device)  # (2)!
y_pred = model(X)
print(f"X on {X.device}, y_pred on {y_pred.device}")
print(f"model on {next(model.parameters()).device}")
# --8<-- [end:on_device]

# --8<-- [start:chosen_late]
late_device = torch.device("meta")  # (1)!
torch.manual_seed(42)
X = torch.rand(8, 3)  # (2)!
model = nn.Linear(3, 1).to(late_device)  # (3)!
print(f"X on {X.device}, model on {next(model.parameters()).device}")
y_pred = model(X)  # raises RuntimeError
# --8<-- [end:chosen_late]
