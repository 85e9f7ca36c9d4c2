# Are tensors faster than arrays? The same operations in NumPy and PyTorch, on the CPU.
# --8<-- [start:timing]
import timeit

import numpy as np
import torch
from threadpoolctl import threadpool_limits

# varies: timings depend on the machine and on what else it is doing
torch.set_num_threads(1)  # (1)!
threadpool_limits(1)
rng = np.random.default_rng(0)
a_np = rng.random(1_000_000, dtype=np.float32)
b_np = rng.random(1_000_000, dtype=np.float32)
m_np = rng.random((256, 256), dtype=np.float32)
a, b, m = (torch.from_numpy(array) for array in (a_np, b_np, m_np))  # (2)!


def best_ms(operation):
    """The fastest of five runs of 20 calls, in milliseconds per call."""
    return min(timeit.repeat(operation, number=20, repeat=5)) / 20 * 1000


print(f"{'operation':<25}{'NumPy':>9}  {'PyTorch':>9}")
numpy_ms, torch_ms = best_ms(lambda: a_np * b_np), best_ms(lambda: a * b)
print(f"a * b, 1,000,000 floats  {numpy_ms:6.3f} ms  {torch_ms:6.3f} ms")
multiply_ratio = numpy_ms / torch_ms  # (3)!
numpy_ms, torch_ms = best_ms(lambda: m_np @ m_np), best_ms(lambda: m @ m)
print(f"256 x 256 matmul         {numpy_ms:6.3f} ms  {torch_ms:6.3f} ms")
matmul_ratio = numpy_ms / torch_ms
# --8<-- [end:timing]
