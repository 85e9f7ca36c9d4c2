# backward() adds to .grad: gradients pile up until something sets them back to zero.
# --8<-- [start:accumulate]
import torch

x = torch.tensor(3.0, requires_grad=True)
for call in range(1, 4):
    y = x**2  # (1)!
    y.backward()
    print(f"after backward() number {call}: x.grad = {x.grad}")
# --8<-- [end:accumulate]

# --8<-- [start:zero_grad]
from torch import nn

x.grad.zero_()  # (1)!
print(f"after x.grad.zero_(): {x.grad}")

torch.manual_seed(42)
layer = nn.Linear(1, 1)
X = torch.tensor([[1.0], [2.0]])
for _ in range(2):
    layer(X).sum().backward()
print(f"two backward() calls: bias.grad = {layer.bias.grad}")  # (2)!
layer.zero_grad()  # (3)!
print(f"after layer.zero_grad(): bias.grad = {layer.bias.grad}")
layer(X).sum().backward()
print(f"one backward() call:  bias.grad = {layer.bias.grad}")
# --8<-- [end:zero_grad]
