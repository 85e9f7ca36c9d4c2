# torch.manual_seed makes random numbers repeat, on every device at once.
# --8<-- [start:unseeded]
import torch

first = torch.rand(3)
second = torch.rand(3)
print(f"equal without a seed: {torch.equal(first, second)}")
# --8<-- [end:unseeded]

# --8<-- [start:seeded]
SEED = 42
torch.manual_seed(SEED)
first = torch.rand(3)
torch.manual_seed(SEED)  # (1)!
second = torch.rand(3)
print(first)
print(second)
print(f"equal after the same seed: {torch.equal(first, second)}")
# --8<-- [end:seeded]

# --8<-- [start:in_order]
torch.manual_seed(SEED)
first = torch.rand(3)
second = torch.rand(3)  # (1)!
print(first)
print(second)
# --8<-- [end:in_order]

# --8<-- [start:every_device]
print(torch.manual_seed.__doc__.split(".")[0])  # (1)!
# --8<-- [end:every_device]
