# The autograd errors a beginner meets, each with the line that fixes it.
# --8<-- [start:backward_twice]
import torch

x = torch.tensor(3.0, requires_grad=True)
y = x**2
y.backward()
print(f"x.grad after one backward(): {x.grad}")
y.backward()  # raises RuntimeError
# --8<-- [end:backward_twice]

# --8<-- [start:backward_again_fixed]
y = x**2  # (1)!
y.backward()
print(f"x.grad: {x.grad}")
# --8<-- [end:backward_again_fixed]

# --8<-- [start:non_scalar]
v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
doubled = v * 2
print(f"doubled: shape {tuple(doubled.shape)}")
doubled.backward()  # raises RuntimeError
# --8<-- [end:non_scalar]

# --8<-- [start:non_scalar_fixed]
doubled.sum().backward()  # (1)!
print(f"v.grad: {v.grad}")
# --8<-- [end:non_scalar_fixed]

# --8<-- [start:in_place_leaf]
w = torch.ones(3, requires_grad=True)
w += 1  # raises RuntimeError
# --8<-- [end:in_place_leaf]

# --8<-- [start:in_place_fixed]
with torch.no_grad():  # (1)!
    w += 1
print(f"w: {w}")
# --8<-- [end:in_place_fixed]

# --8<-- [start:integers]
torch.tensor([1, 2, 3], requires_grad=True)  # raises RuntimeError
# --8<-- [end:integers]

# --8<-- [start:integers_fixed]
counts = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)  # (1)!
print(counts)
# --8<-- [end:integers_fixed]
