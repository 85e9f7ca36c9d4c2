"""The errors a learner meets in these exercises, each said again in the exercise's terms.

A check whose names were left unset by a cell that raised explains that error first (see
`ptx.exercises.cells`); outside IPython, a check that finds the task's names missing adds what
the last error of the session means (the interactive interpreter keeps it in `sys.last_value`).
"""

from __future__ import annotations

import sys

# (a piece of the message, what it means here and the fix); the first match wins
KNOWN = [
    (
        "mat1 and mat2 shapes cannot be multiplied",
        "A matrix product needs the inner sizes to agree: (a, b) @ (b, c) gives (a, c). Here they "
        "differ; transpose one tensor (`.T`) so they meet, or give the first layer "
        "`in_features` equal to the number of columns of the data.",
    ),
    (
        "must have the same dtype",
        "The two sides have different dtypes: usually float64 data from NumPy or scikit-learn "
        "against float32 weights. Convert the data with `.float()` (or `.type(torch.float32)`).",
    ),
    (
        "Torch not compiled with CUDA enabled",
        "This machine has no CUDA: its PyTorch cannot send tensors to an NVIDIA GPU, so "
        "`.to('cuda')` (or `'cuda:0'`) raises. Pick the device from what the machine has, as the "
        "chapter does: `device = 'cuda' if torch.cuda.is_available() else 'cpu'`, then "
        "`.to(device)`.",
    ),
    (
        "Found no NVIDIA driver",
        "This machine has no NVIDIA GPU (or no driver for one), so `.to('cuda')` raises. Pick the "
        "device from what the machine has: `device = 'cuda' if torch.cuda.is_available() else "
        "'cpu'`, then `.to(device)`.",
    ),
    (
        "Cannot copy out of meta tensor",
        "A tensor on the `meta` device has a shape but no numbers (`.to('meta')` keeps only the "
        "shape), so nothing can be read from it or copied off it. Make the tensor or the model "
        "again on a real device: `.to(device)`.",
    ),
    (
        "Boolean value of Tensor with more than one value is ambiguous",
        "Python needed one True or False from a tensor of many numbers. Python's own `max`, `min`, "
        "`if`, `and` and `or` do that; a tensor's `.max()` and `.min()` work on the whole tensor, "
        "and a loss class takes its tensors after the brackets: `nn.L1Loss()(pred, y)`, not "
        "`nn.L1Loss(pred, y)`.",
    ),
    (
        "preds.shape[1]` should be equal to number of classes",
        "The TorchMetrics metric was made for another number of classes than the model has "
        "outputs: make it with the model's, `Accuracy(task='multiclass', num_classes=3)` for "
        "three logits per point.",
    ),
    (
        "'module' object is not callable",
        "A module was called as if it were a function: `torch.random(7, 7)` calls the module "
        "`torch.random`. The function that draws random numbers is `torch.rand(7, 7)`.",
    ),
    (
        "is not a Module subclass",
        "`nn.Sequential` was given a class where it wants a layer: `nn.ReLU` without its "
        "brackets. Make the layer: `nn.ReLU()`.",
    ),
    (
        "object is not callable",
        "A name that should be a function holds a value: an `=` where a call was meant, such as "
        "`torch.manual_seed = 0` instead of `torch.manual_seed(0)`, replaces the function for "
        "the rest of the session. Put it back (`torch.manual_seed = torch.random.manual_seed`), "
        "or restart the kernel.",
    ),
    (
        "is not defined",
        "Python does not know that name: a typo, a cell above that has not run yet in this "
        "session (after a restart, run the notebook from the top), or an answer letter without "
        'its quotes (`"b"`, not `b`).',
    ),
    (
        "has no attribute 'manualseed'",
        "The function is `manual_seed`, with an underscore: `torch.cuda.manual_seed(1234)`.",
    ),
    (
        "cannot assign parameters before Module.__init__() call",
        "`__init__` must call `super().__init__()` first, before it gives the model any "
        "`nn.Parameter` or layer.",
    ),
    (
        "is not on the expected device",
        "Some tensors (often the model's weights) are on one device and others (often the data) on "
        "another. Move both with `.to(device)`: `model.to(device)` and `X = X.to(device)`.",
    ),
    (
        "Expected all tensors to be on the same device",
        "Some tensors (often the model's weights) are on one device and others (often the data) on "
        "another. Move both with `.to(device)`: `model.to(device)` and `X = X.to(device)`.",
    ),
    (
        "must be the same as input size",
        "BCEWithLogitsLoss wants targets shaped exactly like the logits: `(N, 1)` logits need "
        "`(N, 1)` targets (`y.unsqueeze(1)`), or squeeze the logits to `(N,)` (`.squeeze(1)`).",
    ),
    (
        "can't be cast to the desired output type Long",
        "BCEWithLogitsLoss needs float targets (0. and 1.), not integers: `y.float()`.",
    ),
    (
        "all elements of input should be between 0 and 1",
        "BCELoss was given logits (any real number) where it expects probabilities in [0, 1]. Use "
        "`nn.BCEWithLogitsLoss()`, which takes logits, or put `torch.sigmoid` in front.",
    ),
    (
        "expected target dtype to be Long or Byte",
        "CrossEntropyLoss wants class numbers as integers (int64, or uint8): `y.long()`.",
    ),
    (
        "multi-target not supported",
        "CrossEntropyLoss wants one class number per sample, shaped `(N,)`, not `(N, 1)`: "
        "`y.squeeze(1)`.",
    ),
    (
        "Can't call numpy() on Tensor that requires grad",
        "These predictions were made outside `torch.inference_mode()`, so autograd still tracks "
        "them. Make predictions inside `with torch.inference_mode():` (or `.detach()` them).",
    ),
    (
        "device type tensor to numpy",
        "Matplotlib and NumPy need the numbers on the CPU: `.cpu()` first, or draw with "
        "`ptx.plot_predictions`, which does it for you.",
    ),
    (
        "optimizer got an empty parameter list",
        "The model has no parameters: plain tensors in `__init__` are not trained. Wrap them in "
        "`nn.Parameter(...)`, or use layers such as `nn.Linear`.",
    ),
    (
        "has no attribute 'stat_dict'",
        "The method is `state_dict()`, with an e: `model.state_dict()`.",
    ),
    (
        "only one element tensors can be converted to Python scalars",
        "A function from `math` (such as `math.exp`) works on one number only. Use `torch.exp`, "
        "which works on every element of a tensor.",
    ),
]


INTERRUPTED = (
    "The cell was stopped before it finished (the stop button, Kernel > Interrupt, or a time "
    "limit). If it ran on and on, look for a loop that never ends: a `while` whose condition "
    "never changes (`epoch += 1` missing, say)."
)


def explain(error: BaseException) -> str:
    """What an exception means in these exercises, or "" when it is none of the known ones."""
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    text = f"{type(error).__name__}: {error}"
    return next((meaning for piece, meaning in KNOWN if piece in text), "")


def first_line(error: BaseException) -> str:
    """`RuntimeError: mat1 and mat2 shapes cannot be multiplied (7x7 and 1x7)`: the error's name
    and the first line of its message, as the traceback's last line shows them."""
    message = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def explain_last_error() -> str:
    """A sentence about the session's last uncaught error, when it is one of the known ones."""
    error = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
    if error is None:
        return ""
    meaning = explain(error)
    if not meaning:
        return ""
    return f"\nIf your cell stopped at `{first_line(error)}`: {meaning}"
