# Min, max, sum and mean of a tensor, and where the largest and smallest numbers sit.
# --8<-- [start:min_max_sum]
import torch

x = torch.arange(0, 100, 10)
print(x, x.dtype)
print(f"min {x.min()}, max {x.max()}, sum {x.sum()}")  # (1)!
x.mean()  # raises RuntimeError
# --8<-- [end:min_max_sum]

# --8<-- [start:mean_float]
print(f"x.float().mean():              {x.float().mean()}")
print(f"x.mean(dtype=torch.float32):   {x.mean(dtype=torch.float32)}")
# --8<-- [end:mean_float]

# --8<-- [start:positions]
scores = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.9]])
position = scores.argmax()  # (1)!
print(f"argmax {position.item()}, argmin {scores.argmin().item()}")
row, column = torch.unravel_index(position, scores.shape)  # (2)!
print(f"position {position} is row {row}, column {column}")
print(f"argmax(dim=1): {scores.argmax(dim=1)}")  # (3)!
# --8<-- [end:positions]
