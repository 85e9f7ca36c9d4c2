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

# --8<-- [start:new_or_in_place]
array = np.arange(1.0, 8.0)
tensor = torch.from_numpy(array)
array = array + 1  # (1)!
print(f"after array = array + 1: array {array}, tensor {tensor}")
array = np.arange(1.0, 8.0)
tensor = torch.from_numpy(array)
array += 1  # (2)!
print(f"after array += 1:        array {array}, tensor {tensor}")
# --8<-- [end:new_or_in_place]

# --8<-- [start:to_numpy]
t = torch.ones(3)
t_np = t.numpy()  # (1)!
t.add_(1)
print(f"t:    {t}")
print(f"t_np: {t_np}, {t_np.dtype}")
# --8<-- [end:to_numpy]
