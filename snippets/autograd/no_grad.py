# Turning autograd off: torch.no_grad() and torch.inference_mode() record no graph.
# --8<-- [start:no_grad]
import torch
from torch import nn

torch.manual_seed(42)
layer = nn.Linear(1, 1)
X = torch.tensor([[1.0], [2.0]])
print(f"tracked:         requires_grad {layer(X).requires_grad}")
with torch.no_grad():  # (1)!
    y_pred = layer(X)
print(f"torch.no_grad(): requires_grad {y_pred.requires_grad}, grad_fn {y_pred.grad_fn}")
with torch.inference_mode():  # (2)!
    y_pred = layer(X)
print(
    f"inference_mode:  requires_grad {y_pred.requires_grad}, is_inference {y_pred.is_inference()}"
)
# --8<-- [end:no_grad]

# --8<-- [start:nothing_to_follow]
with torch.no_grad():
    total = layer(X).sum()
total.backward()  # raises RuntimeError
# --8<-- [end:nothing_to_follow]
