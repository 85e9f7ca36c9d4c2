"""The errors a learner meets in these exercises, each said again in the exercise's terms.

A check that finds the task's names missing may be looking at a cell that raised halfway: then it
adds what the last error of the session means (IPython keeps it in `sys.last_value`).
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
        "This machine's PyTorch has no CUDA GPU to send tensors to. Pick the device from what the "
        "machine has: `device = 'cuda' if torch.cuda.is_available() else 'cpu'`, then `.to(device)`.",
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


def explain(error: BaseException) -> str:
    """What an exception means in these exercises, or "" when it is none of the known ones."""
    text = f"{type(error).__name__}: {error}"
    return next((meaning for piece, meaning in KNOWN if piece in text), "")


def explain_last_error() -> str:
    """A sentence about the session's last uncaught error, when it is one of the known ones."""
    error = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
    if error is None:
        return ""
    meaning = explain(error)
    if not meaning:
        return ""
    first = str(error).splitlines()[0] if str(error) else ""
    return f"\nIf your cell stopped at `{type(error).__name__}: {first}`: {meaning}"
