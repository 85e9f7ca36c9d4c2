# Importing PyTorch, what a tensor is, and the usual ways to make one.
# --8<-- [start:import_torch]
import torch

print(torch.__version__)
# --8<-- [end:import_torch]

# --8<-- [start:what_a_tensor_is]
scalar = torch.tensor(7)
vector = torch.tensor([7, 7])
matrix = torch.tensor([[7, 8], [9, 10]])
tensor_3d = torch.tensor([[[1, 2, 3], [3, 6, 9], [2, 4, 5]]])
print(f"scalar  ndim {scalar.ndim}  shape {tuple(scalar.shape)}")
print(f"vector  ndim {vector.ndim}  shape {tuple(vector.shape)}")
print(f"matrix  ndim {matrix.ndim}  shape {tuple(matrix.shape)}")
print(f"tensor  ndim {tensor_3d.ndim}  shape {tuple(tensor_3d.shape)}")
# --8<-- [end:what_a_tensor_is]

# --8<-- [start:item]
print(scalar)
print(scalar.item(), type(scalar.item()))  # (1)!
vector.item()  # raises RuntimeError
# --8<-- [end:item]

# --8<-- [start:filled]
print(torch.zeros(2, 3))
print(torch.ones(2, 3))
steps = torch.arange(0, 10, 2)  # (1)!
print(steps)
print(torch.zeros_like(steps))  # (2)!
print(torch.ones_like(matrix, dtype=torch.float32))
# --8<-- [end:filled]

# --8<-- [start:random]
torch.manual_seed(42)  # (1)!
print(torch.rand(2, 3))
print(torch.randn(2, 3))
image = torch.rand(3, 224, 224)  # (2)!
print(f"image: shape {tuple(image.shape)}, {image.numel():,} numbers")
# --8<-- [end:random]
