# matmul multiplies every matrix of a stack, broadcasting; mm takes exactly two 2-D matrices.
# --8<-- [start:batches]
import torch

torch.manual_seed(0)
batch = torch.rand(5, 3, 4)  # (1)!
weights = torch.rand(4, 2)
batched = batch.matmul(weights)
one_by_one = torch.stack([sample.mm(weights) for sample in batch])
print(f"(5, 3, 4) @ (4, 2) -> {tuple(batched.shape)}")
print(f"same as mm on each sample: {torch.allclose(batched, one_by_one)}")
print(f"@ is matmul: {torch.equal(batch @ weights, batched)}")
batch.mm(weights)  # raises RuntimeError
# --8<-- [end:batches]
