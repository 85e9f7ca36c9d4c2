# Reshape, view, stack and permute: the same numbers, arranged differently.
# --8<-- [start:reshape]
import torch

x = torch.arange(1.0, 10.0)
print(f"x {tuple(x.shape)}: {x}")
print(f"x.reshape(3, 3) {tuple(x.reshape(3, 3).shape)}")
print(f"x.reshape(1, 9) {tuple(x.reshape(1, 9).shape)}")
print(f"x.reshape(9, 1) {tuple(x.reshape(9, 1).shape)}")
print(f"x.reshape(-1, 3) {tuple(x.reshape(-1, 3).shape)}")  # (1)!
x.reshape(2, 4)  # raises RuntimeError
# --8<-- [end:reshape]

# --8<-- [start:view_shares_memory]
z = x.view(3, 3)  # (1)!
z[:, 0] = 0  # change the first column of z ...
print(z)
print(x)  # ... and x changed too
print(f"same memory: {z.data_ptr() == x.data_ptr()}")
copy = x.clone()  # (2)!
copy[0] = 100
print(f"x[0] after changing the clone: {x[0]}")
# --8<-- [end:view_shares_memory]

# --8<-- [start:stack]
row = torch.tensor([1, 2, 3])
print(torch.stack([row, row * 10]))  # (1)!
print(torch.stack([row, row * 10], dim=1))  # (2)!
print(torch.cat([row, row * 10]))  # (3)!
# --8<-- [end:stack]

# --8<-- [start:permute]
torch.manual_seed(42)
image = torch.rand(224, 224, 3)  # (1)!
image_chw = image.permute(2, 0, 1)  # (2)!
print(f"{tuple(image.shape)} -> permute(2, 0, 1) -> {tuple(image_chw.shape)}")
image[0, 0, 0] = 5.0
print(f"image_chw[0, 0, 0] = {image_chw[0, 0, 0]}")  # (3)!
# --8<-- [end:permute]
