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
