# %% [markdown]
# # Exercises 00: PyTorch fundamentals
#
# The ten exercises of the course's fundamentals notebook, numbered as the course numbers them
# (`extras/exercises/00_pytorch_fundamentals_exercises.ipynb`): reading the documentation,
# random tensors, matrix multiplication with a transpose, seeds, tensors on a GPU, max, min and
# their positions, and squeezing away size-1 axes. Each task comes first, in the course's words
# with the names its check reads; then a solution (hidden on the page until you open it, and
# left out of the blank notebook), then the check. Anything beyond the task is labelled as such.
#
# This notebook runs top to bottom on a laptop without a GPU. The numbers it prints match the
# reference numbers of the course's exercises. The chapter
# [Fundamentals (tensors)](fundamentals.md) explains the ideas behind each step.

# %%
import torch

from ptx.exercises import fundamentals as ex

print(f"torch {torch.__version__}")

# %% [markdown]
# ## 1. Documentation reading
#
# **Task:** spend ten minutes reading the documentation of
# [`torch.Tensor`](https://pytorch.org/docs/stable/tensors.html) and
# [CUDA semantics](https://pytorch.org/docs/stable/notes/cuda.html) (not everything will make
# sense yet: the aim is to know what is there). Then answer two questions, each with a letter:
#
# - **1a** (`answer_1a`): which of these changes the tensor `x` itself?
#   (a) `x.add(1)`, (b) `x.add_(1)`, (c) `torch.add(x, 1)`
# - **1b** (`answer_1b`): `a` is a tensor on a GPU and `b` a tensor of the same shape on the CPU.
#   What does `a + b` do? (a) copies `b` to the GPU and adds, (b) raises an error,
#   (c) gives a result on the CPU

# %% tags=["solution"]
answer_1a = "b"  # x.add_(1): a trailing underscore means "in place"
answer_1b = "b"  # tensors on different devices: PyTorch raises an error

# %%
ex.q1.check()

# %% [markdown]
# ## 2. A random tensor
#
# **Task:** create a random tensor of shape `(7, 7)`, named `random_tensor`.

# %% tags=["solution"]
# no seed yet: the numbers change from run to run, so only the shape is printed
random_tensor = torch.rand(7, 7)
print(random_tensor.shape)

# %%
ex.q2.check()

# %% [markdown]
# ## 3. Matrix multiplication
#
# **Task:** multiply `random_tensor` by another random tensor, `other_tensor`, of shape
# `(1, 7)`, as a matrix product named `product`. Hint: one of the two may need a transpose.

# %% tags=["solution"]
other_tensor = torch.rand(1, 7)
product = random_tensor @ other_tensor.T  # (7, 7) @ (7, 1)
print(product.shape)

# %%
ex.q3.check()

# %% [markdown]
# `(7, 7) @ (1, 7)` fails: the inner sizes, 7 and 1, differ. Transposed, the second tensor is
# `(7, 1)`, and the result takes the outer sizes, `(7, 1)`. The chapter shows the real error
# in [the shape rule](fundamentals.md#the-shape-rule).
#
# ## 4. The same with a seed
#
# **Task:** set the random seed to `0` and do exercises 2 and 3 again: `tensor_A` of shape
# `(7, 7)`, then `tensor_B` of shape `(1, 7)`, and their product `result_seed_0`. The check
# compares your numbers with the course's reference output.

# %% tags=["solution"]
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
tensor_B = torch.rand(1, 7)
result_seed_0 = tensor_A @ tensor_B.T
print(result_seed_0)
print(result_seed_0.shape)

# %%
ex.q4.check()

# %% [markdown]
# **Going further (not part of the task):** seed once, then draw both tensors. The generator
# hands out numbers in order, so the second draw continues where the first stopped. Seeding
# again between the two is a different experiment: the second draw then repeats the first row
# of the first, and the product changes. Both are reproducible; only the first matches the
# reference numbers (and the check of exercise 4 says which one you did).

# %%
torch.manual_seed(0)
first_draw = torch.rand(7, 7)
torch.manual_seed(0)
second_draw = torch.rand(1, 7)
print(torch.equal(second_draw[0], first_draw[0]))
print((first_draw @ second_draw.T).squeeze(1))

# %% [markdown]
# ## 5. A seed for the GPU
#
# **Task:** is there a GPU equivalent of `torch.manual_seed`? If there is, set the GPU random
# seed to `1234`.

# %% tags=["solution"]
# on a machine without a GPU this is accepted, and does nothing
torch.cuda.manual_seed(1234)
print(f"CUDA available: {torch.cuda.is_available()}")

# %%
ex.q5.check()

# %% [markdown]
# **Improvement:** `torch.cuda.manual_seed` is not needed. `torch.manual_seed` seeds the
# random number generator of every device, the CPU and each GPU alike (its documentation
# says so, and [the chapter](fundamentals.md#reproducibility) shows it), so one call is enough,
# on any machine.

# %%
SEED = 1234
torch.manual_seed(SEED)
print(f"seeded every device with {torch.initial_seed()}")

# %% [markdown]
# ## 6. Two random tensors on the GPU
#
# **Task:** create two random tensors of shape `(2, 3)`, `tensor_1` and `tensor_2`, and send
# both to the GPU, named `device`. Set `torch.manual_seed(1234)` when creating them.
#
# The original notebook sent them to `device="cuda:0"`. On a machine without an NVIDIA GPU
# that line fails (`AssertionError: Torch not compiled with CUDA enabled`), so this solution
# picks the device from what the machine has, as the chapter's
# [device section](fundamentals.md#devices) does: on a laptop without a GPU, `device` is the
# CPU, and the check accepts that.
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
torch.manual_seed(1234)
tensor_1 = torch.rand(2, 3).to(device)
tensor_2 = torch.rand(2, 3).to(device)
print(f"device: {device}")
print(tensor_1)
print(tensor_2)

# %%
ex.q6.check()

# %% [markdown]
# ## 7. Matrix multiplication on the GPU
#
# **Task:** multiply the two tensors of exercise 6 as matrices (one of them may need a new
# shape), into `result`.

# %% tags=["solution"]
result = tensor_1 @ tensor_2.T  # (2, 3) @ (3, 2)
print(result)
print(result.shape)

# %%
ex.q7.check()

# %% [markdown]
# ## 8. Maximum and minimum
#
# **Task:** find the maximum and minimum values of `result`, as `max_value` and `min_value`.

# %% tags=["solution"]
max_value = result.max()
min_value = result.min()
print(f"max: {max_value:.4f}, min: {min_value:.4f}")

# %%
ex.q8.check()

# %% [markdown]
# ## 9. Where the maximum and minimum are
#
# **Task:** find the positions (indexes) of the maximum and the minimum of `result`, as
# `max_index` and `min_index`.

# %% tags=["solution"]
max_index = result.argmax()
min_index = result.argmin()
print(f"argmax: {max_index}, argmin: {min_index}")

# %%
ex.q9.check()

# %% [markdown]
# `argmax` and `argmin` count positions in the flattened tensor. **Going further:**
# `torch.unravel_index` turns position 3 back into a row and a column of the `(2, 2)` result.

# %%
row, column = torch.unravel_index(torch.tensor(3), (2, 2))
print(f"position 3 of a (2, 2) tensor: row {row}, column {column}")

# %% [markdown]
# ## 10. Squeeze
#
# **Task:** with the seed set to `7`, make a random tensor `tensor_4d` of shape
# `(1, 1, 1, 10)`, then a new tensor `tensor_squeezed` with every size-1 dimension removed, of
# shape `(10,)`. Print both tensors and their shapes.

# %% tags=["solution"]
torch.manual_seed(7)
tensor_4d = torch.rand(1, 1, 1, 10)
tensor_squeezed = tensor_4d.squeeze()
print(tensor_4d, tensor_4d.shape)
print(tensor_squeezed, tensor_squeezed.shape)

# %%
ex.q10.check()
