# What torch.manual_seed does inside: one call per kind of device, then the CPU's generator.
# --8<-- [start:source]
import inspect

import torch

source = inspect.getsource(torch.random._manual_seed_impl)  # (1)!
for line in source.splitlines():
    if "manual_seed" in line and "def " not in line:
        print(line.strip())
# --8<-- [end:source]
