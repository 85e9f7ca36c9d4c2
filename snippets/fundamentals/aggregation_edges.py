# min, max and sum on the tensors they do not fit: an empty one, and complex numbers.
# --8<-- [start:empty]
import torch

empty = torch.tensor([])
print(f"empty: shape {tuple(empty.shape)}, sum {empty.sum()}, mean {empty.mean()}")  # (1)!
empty.max()  # raises RuntimeError
# --8<-- [end:empty]

# --8<-- [start:complex]
z = torch.tensor([1 + 2j, 3 - 1j])
print(f"z: {z.dtype}, sum {z.sum()}, mean {z.mean()}")
print(f"largest by size: {z[z.abs().argmax()]}")  # (1)!
z.max()  # raises NotImplementedError
# --8<-- [end:complex]
