# From NumPy to PyTorch and back: dtypes are kept, and memory is shared.
# --8<-- [start:from_numpy]
import numpy as np
import torch

array = np.arange(1.0, 4.0)
shared = torch.from_numpy(array)  # (1)!
copied = torch.tensor(array)  # (2)!
as_float32 = torch.from_numpy(array).float()  # (3)!
array[0] = 100.0
print(f"array:      {array}, {array.dtype}")
print(f"shared:     {shared}")
print(f"copied:     {copied}")
print(f"as_float32: {as_float32}")
# --8<-- [end:from_numpy]

# --8<-- [start:to_numpy]
t = torch.ones(3)
t_np = t.numpy()  # (1)!
t.add_(1)
print(f"t:    {t}")
print(f"t_np: {t_np}, {t_np.dtype}")
# --8<-- [end:to_numpy]
