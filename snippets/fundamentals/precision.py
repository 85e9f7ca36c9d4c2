# What float16 costs: half the bytes of float32, and far fewer numbers it can tell apart.
# --8<-- [start:lower_precision]
import torch

half = torch.tensor([1.0], dtype=torch.float16)
single = torch.tensor([1.0])  # float32
print(f"bytes per number: float16 {half.element_size()}, float32 {single.element_size()}")
eps16, eps32 = torch.finfo(torch.float16).eps, torch.finfo(torch.float32).eps  # (1)!
print(f"gap after 1.0:    float16 {eps16:.7f}, float32 {eps32:.7f}")
plus16, plus32 = (half + 0.0001).item(), (single + 0.0001).item()
print(f"1 + 0.0001:       float16 {plus16:.4f}, float32 {plus32:.4f}")
# --8<-- [end:lower_precision]
