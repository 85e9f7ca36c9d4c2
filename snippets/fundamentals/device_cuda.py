# needs: cuda
# The device sections of the Fundamentals chapter on an NVIDIA GPU (recorded on a GPU machine).
# --8<-- [start:on_device]
import torch
from torch import nn

if torch.cuda.is_available():
    device = torch.device("cuda")
elif torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
print(f"device: {device}")
torch.manual_seed(42)
X = torch.rand(8, 3, device=device)
model = nn.Linear(3, 1).to(device)
y_pred = model(X)
print(f"X on {X.device}, y_pred on {y_pred.device}")
print(f"model on {next(model.parameters()).device}")
# --8<-- [end:on_device]

# --8<-- [start:chosen_late]
late_device = torch.device("cuda")
torch.manual_seed(42)
X = torch.rand(8, 3)  # made before the device was decided: on the CPU
model = nn.Linear(3, 1).to(late_device)  # the late fix: only the model moves
print(f"X on {X.device}, model on {next(model.parameters()).device}")
y_pred = model(X)  # raises RuntimeError
# --8<-- [end:chosen_late]

# --8<-- [start:numpy_on_gpu]
y_gpu = torch.rand(3, device="cuda")
print(f"y_gpu on {y_gpu.device}")
y_gpu.numpy()  # raises TypeError
# --8<-- [end:numpy_on_gpu]
