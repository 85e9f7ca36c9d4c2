# needs: cuda
# torch.manual_seed seeds the GPU's generator too: the same draws on the GPU, with no other seed call.
# --8<-- [start:seed_every_device]
import torch

torch.manual_seed(1234)
first = torch.rand(3, device="cuda")
torch.manual_seed(1234)  # the only seed call: no torch.cuda.manual_seed
second = torch.rand(3, device="cuda")
print(first)
print(f"equal: {torch.equal(first, second)}")
print(f"the CUDA generator's seed: {torch.cuda.initial_seed()}")
# --8<-- [end:seed_every_device]
