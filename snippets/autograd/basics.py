# A derivative by hand, then the same number from autograd: requires_grad, grad_fn, backward, .grad.
# --8<-- [start:derivative]
def f(x):
    return x**2 + 3 * x


def slope(x, h=1e-3):
    """How much f changes per unit of x, measured over a tiny step on each side."""
    return (f(x + h) - f(x - h)) / (2 * h)


by_hand = 2 * 3.0 + 3  # (1)!
print(f"f(3) = {f(3.0)}")
print(f"measured slope at 3:  {slope(3.0):.6f}")
print(f"derivative 2x + 3 at 3: {by_hand}")
# --8<-- [end:derivative]

# --8<-- [start:requires_grad]
import torch

x = torch.tensor(3.0, requires_grad=True)  # (1)!
print(x)
print(f"requires_grad {x.requires_grad}, is_leaf {x.is_leaf}, grad {x.grad}")
# --8<-- [end:requires_grad]

# --8<-- [start:graph]
y = x**2 + 3 * x  # (1)!
print(y)
print(f"y.is_leaf {y.is_leaf}, y.requires_grad {y.requires_grad}")
print(f"y.grad_fn: {y.grad_fn.name()}")
print(f"it came from: {[fn.name() for fn, _ in y.grad_fn.next_functions]}")  # (2)!
# --8<-- [end:graph]

# --8<-- [start:backward]
y.backward()  # (1)!
print(f"x.grad: {x.grad}")
print(f"by hand: {by_hand}, the same: {x.grad.item() == by_hand}")
# --8<-- [end:backward]
