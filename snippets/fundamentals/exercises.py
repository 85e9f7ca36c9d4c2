# %% [markdown]
# # Exercises 00: PyTorch fundamentals
#
# Seven short exercises on tensors, as the course sets them: random tensors, matrix
# multiplication with a transpose, seeds, tensors on a GPU, max/min/argmax/argmin, and
# squeezing away size-1 axes. Each task comes first; the cell after it is a solution (hidden
# on the page until you open it, and left out of the blank notebook), and anything beyond the
# task is labelled as such.
#
# This notebook runs top to bottom on a laptop without a GPU; it needs nothing but PyTorch.
# The numbers it prints match the reference numbers of the original exercises.
# The chapter [Fundamentals (tensors)](fundamentals.md) explains the ideas behind each step.

# %%
import torch

print(f"torch {torch.__version__}")

# %% [markdown]
# ## 1. A random tensor
#
# **Task:** create a random tensor of shape `(7, 7)`.

# %% tags=["solution"]
# no seed yet: the numbers change from run to run, so only the shape is printed
random_tensor = torch.rand(7, 7)
print(random_tensor.shape)

# %% [markdown]
# ## 2. Matrix multiplication
#
# **Task:** multiply the tensor from exercise 1 by another random tensor of shape `(1, 7)`,
# as a matrix product. Hint: one of the two may need a transpose.

# %% tags=["solution"]
other_tensor = torch.rand(1, 7)
product = random_tensor @ other_tensor.T  # (7, 7) @ (7, 1)
print(product.shape)

# %% [markdown]
# `(7, 7) @ (1, 7)` fails: the inner sizes, 7 and 1, differ. Transposed, the second tensor is
# `(7, 1)`, and the result takes the outer sizes, `(7, 1)`. The chapter shows the real error
# in [the shape rule](fundamentals.md#the-shape-rule).
#
# ## 3. The same with a seed
#
# **Task:** set the random seed to `0` and do exercises 1 and 2 again.

# %% tags=["solution"]
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
tensor_B = torch.rand(1, 7)
result_seed_0 = tensor_A @ tensor_B.T
print(result_seed_0)
print(result_seed_0.shape)

# %% [markdown]
# **Going further (not part of the task):** seed once, then draw both tensors. The generator
# hands out numbers in order, so `tensor_B` continues where `tensor_A` stopped. Seeding again
# between the two is a different experiment: `tensor_B` then repeats the first row of
# `tensor_A`, and the product changes. Both are reproducible; only the first matches the
# reference numbers.

# %% tags=["solution"]
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
torch.manual_seed(0)
tensor_B_reseeded = torch.rand(1, 7)
print(torch.equal(tensor_B_reseeded[0], tensor_A[0]))
print((tensor_A @ tensor_B_reseeded.T).squeeze(1))

# %% [markdown]
# ## 4. A seed for the GPU
#
# **Task:** is there a GPU equivalent of `torch.manual_seed`? If there is, set the GPU random
# seed to `1234`.

# %% tags=["solution"]
# on a machine without a GPU this is accepted, and does nothing
torch.cuda.manual_seed(1234)
print(f"CUDA available: {torch.cuda.is_available()}")

# %% [markdown]
# **Improvement:** `torch.cuda.manual_seed` is not needed. `torch.manual_seed` seeds the
# random number generator of every device, the CPU and each GPU alike (its documentation
# says so, and [the chapter](fundamentals.md#reproducibility) shows it), so one call is enough,
# on any machine.

# %% tags=["solution"]
SEED = 1234
torch.manual_seed(SEED)
print(f"seeded every device with {torch.initial_seed()}")

# %% [markdown]
# ## 5. Two tensors on the GPU
#
# **Task:** with `torch.manual_seed(1234)`, create two random tensors of shape `(2, 3)`, send
# both to the GPU, and multiply them as matrices (one of them may need a new shape).
#
# The original notebook sent them to `device="cuda:0"`. On a machine without an NVIDIA GPU
# that line fails (`AssertionError: Torch not compiled with CUDA enabled`), so this solution
# picks the device from what the machine has, as the chapter's
# [device section](fundamentals.md#devices) does.
#
# The reference numbers were drawn on the CPU and then moved: the CPU generator gives the same
# numbers on every machine. `torch.rand(2, 3, device=device)` would draw them from the GPU's
# own generator instead, which is just as reproducible but gives other numbers.

# %% tags=["solution"]
if torch.cuda.is_available():
    device = torch.device("cuda")
elif torch.backends.mps.is_available():
    device = torch.device("mps")
else:
    device = torch.device("cpu")
torch.manual_seed(SEED)
tensor_1 = torch.rand(2, 3).to(device)
tensor_2 = torch.rand(2, 3).to(device)
result = tensor_1 @ tensor_2.T  # (2, 3) @ (3, 2)
print(f"device: {device}")
print(result)
print(result.shape)

# %% [markdown]
# ## 6. Max, min and their positions
#
# **Task:** find the maximum and minimum values of the result of exercise 5, and the
# positions (indexes) of the maximum and the minimum.

# %% tags=["solution"]
print(f"max:    {result.max():.4f}")
print(f"min:    {result.min():.4f}")
print(f"argmax: {result.argmax()}")
print(f"argmin: {result.argmin()}")

# %% [markdown]
# `argmax` and `argmin` count positions in the flattened tensor. **Going further:**
# `torch.unravel_index` turns position 3 back into a row and a column of the `(2, 2)` result.

# %% tags=["solution"]
position = result.argmax()
row, column = torch.unravel_index(position, result.shape)
print(f"position {position}: row {row}, column {column}")

# %% [markdown]
# ## 7. Squeeze
#
# **Task:** with the seed set to `7`, make a random tensor of shape `(1, 1, 1, 10)`, then a new
# tensor with every size-1 dimension removed, of shape `(10,)`. Print both tensors and their
# shapes.

# %% tags=["solution"]
torch.manual_seed(7)
tensor_4d = torch.rand(1, 1, 1, 10)
tensor_squeezed = tensor_4d.squeeze()
print(tensor_4d)
print(tensor_4d.shape)
print(tensor_squeezed)
print(tensor_squeezed.shape)
