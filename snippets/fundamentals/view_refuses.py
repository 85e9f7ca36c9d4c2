# When view refuses: a view only re-reads memory in the order it is laid out; reshape copies.
# --8<-- [start:view_or_reshape]
import torch

x = torch.arange(1.0, 10.0)
t = x.view(3, 3).T  # (1)!
print(f"t.is_contiguous(): {t.is_contiguous()}")
flat = t.reshape(9)  # (2)!
print(f"t.reshape(9): {flat}")
print(f"same memory as x: {flat.data_ptr() == x.data_ptr()}")
t.view(9)  # raises RuntimeError
# --8<-- [end:view_or_reshape]
