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
tiny_np = rng.random(10, dtype=np.float32)
a, b, m, tiny = (torch.from_numpy(x) for x in (a_np, b_np, m_np, tiny_np))  # (2)!


def best_us(operation, calls):
    """The fastest of five runs of `calls` calls, in microseconds per call."""
    return min(timeit.repeat(operation, number=calls, repeat=5)) / calls * 1e6


def race(numpy_us, torch_us):
    """Which was faster, and how many times as fast."""
    if numpy_us < torch_us:
        return "NumPy", torch_us / numpy_us
    return "PyTorch", numpy_us / torch_us


print(f"{'operation':<26}{'NumPy':>10}  {'PyTorch':>10}   faster")
numpy_us, torch_us = best_us(lambda: a_np * b_np, 20), best_us(lambda: a * b, 20)
million_faster, million_ratio = race(numpy_us, torch_us)  # (3)!
print(f"a * b, 1,000,000 floats   {numpy_us:7.1f} µs  {torch_us:7.1f} µs   {million_faster}")
numpy_us, torch_us = best_us(lambda: m_np @ m_np, 20), best_us(lambda: m @ m, 20)
matmul_faster, matmul_ratio = race(numpy_us, torch_us)
print(f"256 x 256 matmul          {numpy_us:7.1f} µs  {torch_us:7.1f} µs   {matmul_faster}")
numpy_us, torch_us = best_us(lambda: tiny_np * tiny_np, 2000), best_us(lambda: tiny * tiny, 2000)
tiny_faster, tiny_ratio = race(numpy_us, torch_us)  # (4)!
print(f"a * a, 10 floats          {numpy_us:7.1f} µs  {torch_us:7.1f} µs   {tiny_faster}")
# --8<-- [end:timing]
