# Arithmetic on tensors: number by number, and it returns a new tensor.
# --8<-- [start:arithmetic]
import torch

t = torch.tensor([1, 2, 3])
print(f"t + 10: {t + 10}")
print(f"t * 10: {t * 10}")
print(f"t - 10: {t - 10}")
print(f"t / 10: {t / 10}")  # (1)!
print(f"t * t:  {t * t}")
print(f"t is unchanged: {t}")  # (2)!
t.add_(10)  # (3)!
print(f"after t.add_(10): {t}")
# --8<-- [end:arithmetic]

# --8<-- [start:broadcasting]
column = torch.tensor([[1], [2], [3]])  # (1)!
row = torch.tensor([10, 20])  # (2)!
print(f"column {tuple(column.shape)} + row {tuple(row.shape)} -> {tuple((column + row).shape)}")
print(column + row)
torch.ones(3) + torch.ones(2)  # raises RuntimeError
# --8<-- [end:broadcasting]
