# The course's example: a new array under the old name, or the shared memory changed in place.
# --8<-- [start:new_or_in_place]
import numpy as np
import torch

array = np.arange(1.0, 8.0)
tensor = torch.from_numpy(array)
array = array + 1  # (1)!
print(f"after array = array + 1: array {array}, tensor {tensor}")
array = np.arange(1.0, 8.0)
tensor = torch.from_numpy(array)
array += 1  # (2)!
print(f"after array += 1:        array {array}, tensor {tensor}")
# --8<-- [end:new_or_in_place]
