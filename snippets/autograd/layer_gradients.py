# The gradient of a layer's parameters, from backward() and from the formula worked out by hand.
# --8<-- [start:parameters]
import torch
from torch import nn

torch.manual_seed(42)
layer = nn.Linear(1, 1)
for name, parameter in layer.named_parameters():  # (1)!
    print(
        f"{name}: {parameter.data}, requires_grad {parameter.requires_grad}, "
        f"is_leaf {parameter.is_leaf}"
    )
# --8<-- [end:parameters]

# --8<-- [start:backward]
X = torch.tensor([[0.0], [1.0], [2.0], [3.0]])
y = 2 * X + 1  # the line the layer should find: weight 2, bias 1
y_pred = layer(X)
error = ((y_pred - y) ** 2).mean()  # (1)!
error.backward()
print(f"error {error.item():.4f}")
print(f"weight.grad {layer.weight.grad.item():.4f}, bias.grad {layer.bias.grad.item():.4f}")
# --8<-- [end:backward]

# --8<-- [start:by_hand]
difference = y_pred - y
weight_grad = (2 * difference * X).mean()  # (1)!
bias_grad = (2 * difference).mean()  # (2)!
print(f"by hand: weight {weight_grad.item():.4f}, bias {bias_grad.item():.4f}")
print(
    f"the same: {torch.allclose(layer.weight.grad, weight_grad)}, "
    f"{torch.allclose(layer.bias.grad, bias_grad)}"
)
# --8<-- [end:by_hand]
