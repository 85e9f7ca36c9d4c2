"""Exercises 00, 1, 2 and 10 of the fundamentals set: reading the documentation, a random tensor of
the shape asked for, and squeezing away its size-1 axes."""

from __future__ import annotations

import ast

import torch

from ptx.exercises import cells
from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.seeds import seed_function_intact, seed_mistakes
from ptx.exercises.sets import choice, code


# -- 1. Documentation reading ---------------------------------------------------------------------
def _judge_1(a: Answer) -> str:
    choice(
        a.answer_1a,
        "answer_1a",
        right="b",
        wrong={
            "a": (
                "1a_without_underscore",
                "`x.add(1)` returns a new tensor and leaves `x` as it was. The torch.Tensor page "
                "says which methods change the tensor itself: their names end in an underscore.",
            ),
            "c": (
                "1a_function",
                "`torch.add(x, 1)` returns a new tensor and leaves `x` as it was. The torch.Tensor "
                "page says which methods change the tensor itself: their names end in an underscore.",
            ),
        },
    )
    choice(
        a.answer_1b,
        "answer_1b",
        right="b",
        wrong={
            "a": (
                "1b_copies",
                "PyTorch never moves a tensor to another device by itself. The CUDA semantics page "
                "says that operations on tensors spread across different devices raise an error; "
                "you move them with `.to(device)`.",
            ),
            "c": (
                "1b_cpu",
                "PyTorch never moves a tensor to another device by itself, to the CPU neither. The "
                "CUDA semantics page says that operations on tensors spread across different "
                "devices raise an error.",
            ),
        },
    )
    return (
        "`x.add_(1)` changes `x` in place (the trailing underscore), and tensors on two devices "
        "raise an error instead of moving: you will meet both again in exercise 10 and in every "
        "chapter's device section."
    )


q1 = Exercise(
    label="1",
    title="reading the documentation",
    names={
        "answer_1a": 'your choice for question 1a, a letter ("a", "b" or "c")',
        "answer_1b": 'your choice for question 1b, a letter ("a", "b" or "c")',
    },
    judge=_judge_1,
    mistakes={
        "not_a_choice": "an answer that is not one of the letters",
        "1a_without_underscore": "1a: x.add(1) taken for in place",
        "1a_function": "1a: torch.add(x, 1) taken for in place",
        "1b_copies": "1b: PyTorch taken to copy between devices",
        "1b_cpu": "1b: the result taken to land on the CPU",
    },
    hints=[
        "1a: on the torch.Tensor page, look for the word 'underscore'. 1b: on the CUDA semantics "
        "page, look for what happens to tensors 'spread across different devices'.",
        "Both answers are the same letter.",
    ],
    solution_code=code("""
answer_1a = "b"  # x.add_(1): a trailing underscore means "in place"
answer_1b = "b"  # tensors on different devices: PyTorch raises an error
"""),
)


# -- 2. A random tensor ----------------------------------------------------------------------------
def _judge_2(a: Answer) -> str:
    x = t.tensor(a.random_tensor, "random_tensor")
    if t.shape(x) in ((1, 7), (7, 1)):
        raise Mistake(
            "one_row",
            f"`random_tensor` has shape {t.shape(x)}: one {'row' if x.shape[0] == 1 else 'column'}"
            " of seven numbers. The task asks for seven rows of seven, shape (7, 7): "
            "`torch.rand(7, 7)`.",
        )
    if x.numel() == 49 and t.shape(x) != (7, 7):
        raise Mistake(
            "flat",
            f"`random_tensor` holds 49 numbers but has shape {t.shape(x)}; the task asks for "
            "a (7, 7) matrix: `torch.rand(7, 7)` (or `.reshape(7, 7)`).",
        )
    t.shaped(x, "random_tensor", (7, 7))
    if not x.is_floating_point():
        raise Mistake(
            "integers",
            f"`random_tensor` holds {str(x.dtype).removeprefix('torch.')} integers. Exercise 3 "
            "multiplies it by a tensor of floats, and a matrix product of the two raises "
            "`expected m1 and m2 to have the same dtype`. `torch.rand(7, 7)` gives float32 "
            "numbers in [0, 1).",
        )
    if _uninitialised(x, cells.latest_assignment(a.namespace, "random_tensor")):
        raise Mistake(
            "uninitialised",
            "`random_tensor` holds whatever was in memory: `torch.Tensor(7, 7)`, like "
            "`torch.empty(7, 7)`, reserves room for 49 numbers without filling it in, so the "
            "numbers are leftovers (sometimes all 0, sometimes 1e-29 or 1e+30, different on each "
            "run), not random draws. `torch.rand(7, 7)` draws them.",
        )
    if torch.all(x == x.flatten()[0]):
        raise Mistake(
            "not_random",
            f"every number in `random_tensor` is {x.flatten()[0].item():g}: that is a constant "
            "tensor, not a random one. `torch.rand(7, 7)` draws 49 random numbers.",
        )
    return (
        f"A (7, 7) tensor of {str(x.dtype).removeprefix('torch.')} numbers. With no seed set, "
        "they differ on every run and on every machine; exercise 4 fixes that."
    )


UNFILLED = {"Tensor", "FloatTensor", "DoubleTensor", "empty", "empty_like", "new_empty"}


def _uninitialised(x: torch.Tensor, code: str | None) -> bool:
    """Whether the tensor was made without numbers: by the code that made it when the notebook
    kept it (`torch.Tensor(7, 7)`, `torch.empty(...)`), else by numbers no draw gives."""
    if code is not None:
        try:
            calls = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Call)]
        except SyntaxError:
            calls = []
        for call in calls:
            name = getattr(call.func, "attr", getattr(call.func, "id", ""))
            sizes = all(isinstance(arg, ast.Constant) for arg in call.args)
            if name in UNFILLED and (name.startswith(("empty", "new_")) or sizes):
                return True
    values = x.detach().double().abs()
    return bool(
        (~torch.isfinite(values)).any()
        or (values > 1e6).any()
        or ((values > 0) & (values < 1e-20)).any()
    )


q2 = Exercise(
    label="2",
    title="a random tensor",
    names={"random_tensor": "a random tensor of shape (7, 7)"},
    judge=_judge_2,
    mistakes={
        "not_a_tensor": "a NumPy array or list instead of a tensor",
        "one_row": "shape (1, 7) or (7, 1) where (7, 7) was asked",
        "flat": "49 numbers in another shape",
        "wrong_shape": "any other shape",
        "integers": "random integers (torch.randint)",
        "uninitialised": "torch.Tensor(7, 7) or torch.empty: memory, not draws",
        "not_random": "a constant tensor (zeros, ones)",
    },
    hints=["`torch.rand` takes the shape as its arguments.", "`torch.rand(7, 7)`."],
    solution_code=code("""
# no seed yet: the numbers change from run to run, so only the shape is printed
random_tensor = torch.rand(7, 7)
print(random_tensor.shape)
"""),
)


# -- 10. Squeeze -----------------------------------------------------------------------------------
def _judge_10(a: Answer) -> str:
    seed_function_intact(7)
    x4 = t.tensor(a.tensor_4d, "tensor_4d")
    squeezed = t.tensor(a.tensor_squeezed, "tensor_squeezed")
    if t.shape(x4) == (10,):
        raise Mistake(
            "in_place",
            "`tensor_4d` itself has shape (10,): `squeeze_()`, with the underscore, changed it in "
            "place (exercise 1a). The task keeps both: `tensor_squeezed = tensor_4d.squeeze()`.",
        )
    x4 = t.shaped(x4, "tensor_4d", (1, 1, 1, 10))
    if t.shape(squeezed) == (1, 1, 1, 10):
        raise Mistake(
            "not_kept",
            "`tensor_squeezed` still has shape (1, 1, 1, 10). `squeeze()` returns a new tensor and "
            "leaves the old one as it was: keep what it returns, "
            "`tensor_squeezed = tensor_4d.squeeze()`.",
        )
    if squeezed.numel() == 10 and 1 < squeezed.ndim < 4:
        raise Mistake(
            "one_axis",
            f"`tensor_squeezed` has shape {t.shape(squeezed)}: `squeeze(dim)` removes one size-1 "
            "axis. `squeeze()` with no argument removes all of them.",
        )
    if squeezed.ndim > 4:
        raise Mistake(
            "unsqueezed",
            f"`tensor_squeezed` has shape {t.shape(squeezed)}: `unsqueeze` adds an axis. "
            "`squeeze()` removes the size-1 axes.",
        )
    t.shaped(squeezed, "tensor_squeezed", (10,))
    if not t.close(squeezed, x4.flatten()):
        raise Mistake(
            "other_values",
            "`tensor_squeezed` does not hold the numbers of `tensor_4d`: squeeze the tensor you "
            "drew, `tensor_4d.squeeze()`.",
        )
    reference = t.seeded(7, (1, 1, 1, 10))[0]
    if not t.close(x4, reference):
        seed_mistakes(7, [x4], ["tensor_4d"])
    return (
        f"(1, 1, 1, 10) -> (10,), with the course's numbers {t.short(squeezed)}. `squeeze()` "
        "removes exactly the size-1 axes; `reshape(10)` and `flatten()` give the same here, but "
        "only `squeeze` says which axes go."
    )


def _expected_10() -> str:
    tensor_4d = t.seeded(7, (1, 1, 1, 10))[0]
    return f"{tensor_4d} {tensor_4d.shape}\n{tensor_4d.squeeze()} {tensor_4d.squeeze().shape}"


q10 = Exercise(
    label="10",
    title="squeeze",
    names={
        "tensor_4d": "a random (1, 1, 1, 10) tensor drawn after `torch.manual_seed(7)`",
        "tensor_squeezed": "the same numbers with every size-1 axis removed, shape (10,)",
    },
    judge=_judge_10,
    expected=_expected_10,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "in_place": "squeeze_() changed tensor_4d itself",
        "wrong_shape": "another shape",
        "not_kept": "squeeze() called without keeping its result",
        "one_axis": "squeeze(dim) removing one axis only",
        "unsqueezed": "unsqueeze instead of squeeze",
        "other_values": "a tensor that is not tensor_4d's numbers",
        "normal": "torch.randn instead of torch.rand",
        "replaced_seed": "torch.manual_seed = 7 instead of a call",
        "seed_after_draw": "the seed set after drawing",
        "redrawn": "the draw run again without the seed",
        "drawn_between": "other draws between the seed and this one",
        "no_seed": "no seed, or another one",
    },
    hints=[
        "`torch.manual_seed(7)`, then `torch.rand(1, 1, 1, 10)`; `squeeze()` with no argument.",
        "`tensor_squeezed = tensor_4d.squeeze()`.",
    ],
    solution_code=code("""
torch.manual_seed(7)
tensor_4d = torch.rand(1, 1, 1, 10)
tensor_squeezed = tensor_4d.squeeze()
print(tensor_4d, tensor_4d.shape)
print(tensor_squeezed, tensor_squeezed.shape)
"""),
)
