# Pick the device once, at the top, and create every tensor and model on it.
# --8<-- [start:pick_device]
import torch
from torch import nn

import ptx

device = ptx.get_device()  # (1)!
print(f"ptx.get_device():   {device}")

# the same choice in plain PyTorch
if torch.cuda.is_available():
    plain_device = torch.device("cuda")
elif torch.backends.mps.is_available():
    plain_device = torch.device("mps")
else:
    plain_device = torch.device("cpu")
print(f"plain PyTorch:      {plain_device}")
print(f"same choice: {device == plain_device}")
# --8<-- [end:pick_device]

# --8<-- [start:on_device]
device = ptx.get_device()
torch.manual_seed(42)
X = torch.rand(8, 3, device=device)  # (1)!
model = nn.Linear(3, 1).to(device)  # (2)!
y_pred = model(X)
print(f"device: {device}")
print(f"X on {X.device}, y_pred on {y_pred.device}")
print(f"model on {next(model.parameters()).device}")
# --8<-- [end:on_device]

# --8<-- [start:chosen_late]
late_device = torch.device("meta")  # (1)!
torch.manual_seed(42)
X = torch.rand(8, 3)  # (2)!
model = nn.Linear(3, 1)
model = model.to(late_device)  # (3)!
print(f"X on {X.device}, model on {next(model.parameters()).device}")
y_pred = model(X)  # raises RuntimeError
# --8<-- [end:chosen_late]

# --8<-- [start:check_device]
ptx.check_same_device(model, X, names=("model", "X"))  # raises ValueError
# --8<-- [end:check_device]
