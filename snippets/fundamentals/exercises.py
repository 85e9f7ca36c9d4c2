# %% [markdown]
# # Exercises 00: PyTorch fundamentals
#
# Seven short exercises on tensors: random tensors, matrix multiplication with a transpose,
# seeds, putting tensors on a device without hard-coding `cuda:0`, max/min/argmax/argmin, and
# squeezing away size-1 axes.
#
# This notebook runs top to bottom on a laptop without a GPU; it needs nothing but PyTorch.
# The numbers it prints match the reference numbers of the original exercises on the CPU.
# The chapter [Fundamentals (tensors)](../../fundamentals/) explains the ideas behind each step.

# %%
import torch

print(f"torch {torch.__version__}")

# %% [markdown]
# ## 1. A random tensor of shape (7, 7)
#
# No seed yet, so the numbers change from run to run: only the shape is printed here.

# %%
random_tensor = torch.rand(7, 7)
print(random_tensor.shape)

# %% [markdown]
# ## 2. Multiply it by a random tensor of shape (1, 7)
#
# `(7, 7) @ (1, 7)` fails: the inner sizes (7 and 1) differ. Transposing the second tensor
# gives `(7, 7) @ (7, 1)`, and the result has the outer sizes, `(7, 1)`.
# The chapter shows the real error in
# [the shape rule](../../fundamentals/#the-shape-rule).

# %%
other_tensor = torch.rand(1, 7)
product = random_tensor @ other_tensor.T
print(product.shape)

# %% [markdown]
# ## 3. The same with the random seed set to 0
#
# Seed once, then draw both tensors: the generator hands out the numbers in order, so the
# second tensor continues where the first stopped.

# %%
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
tensor_B = torch.rand(1, 7)
result_seed_0 = tensor_A @ tensor_B.T
print(result_seed_0)
print(result_seed_0.shape)

# %% [markdown]
# Seeding again between the two tensors is a different experiment: `tensor_B` then repeats the
# first seven numbers of `tensor_A`, and the product changes. Both are reproducible; only the
# first one matches the reference numbers.

# %%
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
torch.manual_seed(0)
tensor_B_reseeded = torch.rand(1, 7)
print(torch.equal(tensor_B_reseeded[0], tensor_A[0]))
print((tensor_A @ tensor_B_reseeded.T).squeeze(1))

# %% [markdown]
# ## 4. A seed for the GPU: 1234
#
# The original notebook called `torch.cuda.manual_seed(1234)` next to `torch.manual_seed`.
# It does no harm, but it is not needed: `torch.manual_seed` seeds the random number generator
# of every device, the CPU and each GPU alike. One call is enough, and it works on a machine
# without a GPU too.

# %%
SEED = 1234
torch.manual_seed(SEED)
print(f"seeded every device with {torch.initial_seed()}")
if torch.cuda.is_available():
    print(f"the CUDA generator too: {torch.cuda.initial_seed()}")

# %% [markdown]
# ## 5. Two random (2, 3) tensors on the device, multiplied
#
# The device is chosen once, from what the machine has, instead of hard-coding `cuda:0`
# (which fails on a machine without an NVIDIA GPU).
#
# The reference numbers were drawn on the CPU and then moved to the device: the CPU generator
# gives the same numbers on every machine. `torch.rand(2, 3, device=device)` would draw them
# from the GPU's own generator instead: just as reproducible, but other numbers.

# %%
if torch.cuda.is_available():
    device = torch.device("cuda")
elif torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
torch.manual_seed(SEED)
tensor_1 = torch.rand(2, 3).to(device)
tensor_2 = torch.rand(2, 3).to(device)
result = tensor_1 @ tensor_2.T
print(f"device: {device}")
print(result)
print(result.shape)

# %% [markdown]
# ## 6. Max, min, argmax and argmin of the result
#
# `argmax` and `argmin` count positions in the flattened tensor: index 3 is the bottom-right
# number of the (2, 2) result, index 0 the top-left one.

# %%
print(f"max:    {result.max():.4f}")
print(f"min:    {result.min():.4f}")
print(f"argmax: {result.argmax()}")
print(f"argmin: {result.argmin()}")

# %% [markdown]
# ## 7. Squeeze a (1, 1, 1, 10) tensor down to (10,)
#
# `squeeze()` removes every axis of size 1; the ten numbers stay the same.

# %%
torch.manual_seed(7)
tensor_4d = torch.rand(1, 1, 1, 10)
tensor_squeezed = tensor_4d.squeeze()
print(tensor_4d)
print(tensor_4d.shape)
print(tensor_squeezed)
print(tensor_squeezed.shape)
