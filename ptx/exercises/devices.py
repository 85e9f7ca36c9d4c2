"""Exercise 00, 6 of the fundamentals set: two seeded tensors on the best device the machine has."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.seeds import seed_function_intact, seed_mistakes
from ptx.exercises.sets import code


# -- 6. Two random tensors on the GPU --------------------------------------------------------------
def best_device() -> torch.device:
    """The device the exercises use: CUDA, then Apple's MPS, then the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _same_device(a: torch.device, b: torch.device) -> bool:
    return a.type == b.type and (a.index is None or b.index is None or a.index == b.index)


def _device_exists(device: torch.device) -> None:
    """A Mistake when `device` names a GPU this machine does not have."""
    have = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    if have.get(device.type, True):
        return
    name = {"cuda": "CUDA (an NVIDIA GPU)", "mps": "MPS (an Apple GPU)"}[device.type]
    raise Mistake(
        "no_such_device",
        f"`device` is {device}, but this machine has no {name}: `torch.{device.type}."
        f"{'is_available' if device.type == 'cuda' else 'backends.mps.is_available'}()` is "
        f"False, and `.to('{device}')` raises (`Torch not compiled with CUDA enabled`, or no "
        "driver found). Pick the device from what the machine has, as the chapter does: "
        "`device = 'cuda' if torch.cuda.is_available() else 'cpu'`. Here that is the CPU, and "
        "the check accepts it.",
    )


def _judge_6(a: Answer) -> str:
    try:
        device = torch.device(a.device)
    except (RuntimeError, TypeError):
        raise Mistake(
            "not_a_device",
            f"`device` is {t.describe(a.device)}, not a device: `torch.device('cuda')`, or "
            "'cuda', 'mps', 'cpu' as a string.",
        ) from None
    _device_exists(device)
    seed_function_intact(1234)
    tensors = {
        "tensor_1": t.shaped(a.tensor_1, "tensor_1", (2, 3)),
        "tensor_2": t.shaped(a.tensor_2, "tensor_2", (2, 3)),
    }
    for name, x in tensors.items():
        if not _same_device(x.device, device):
            raise Mistake(
                "not_moved",
                f"`{name}` is on {x.device}, but `device` is {device}. `.to(device)` returns a "
                f"copy on the device and leaves the tensor where it was: keep the copy, "
                f"`{name} = {name}.to(device)`.",
            )
    best = best_device()
    if device.type == "cpu" and best.type != "cpu":
        raise Mistake(
            "gpu_unused",
            f"this machine has a GPU ({best.type}), and `device` is the CPU. Pick the device from "
            "what the machine has: `device = 'cuda' if torch.cuda.is_available() else 'cpu'`.",
        )
    drawn = list(tensors.values())
    reference = t.seeded(1234, (2, 3), (2, 3))
    if all(t.close(x, r) for x, r in zip(drawn, reference, strict=True)):
        return (
            f"Both on {device}, with the course's numbers: `tensor_1` {t.short(drawn[0])}, "
            f"`tensor_2` {t.short(drawn[1])}. They were drawn on the CPU and moved, so they are "
            "the same on every machine."
        )
    if device.type != "cpu" and torch.initial_seed() == 1234:
        return (
            f"Both on {device}, seeded with 1234. Drawn by the {device.type} generator itself "
            "(`device=` in `torch.rand`), they are reproducible but not the course's numbers, "
            "which were drawn on the CPU and then moved."
        )
    seed_mistakes(1234, drawn, ["tensor_1", "tensor_2"])
    raise AssertionError("unreachable")


def _expected_6() -> str:
    tensor_1, tensor_2 = t.seeded(1234, (2, 3), (2, 3))
    return f"{tensor_1}\n{tensor_2}"


q6 = Exercise(
    label="6",
    title="two random tensors on the GPU",
    names={
        "device": "the device to use: the GPU when there is one, else the CPU",
        "tensor_1": "a random (2, 3) tensor drawn after `torch.manual_seed(1234)`, on `device`",
        "tensor_2": "a second random (2, 3) tensor drawn after it, on `device`",
    },
    judge=_judge_6,
    expected=_expected_6,
    mistakes={
        "not_a_device": "device is not a device",
        "no_such_device": "a GPU device on a machine without that GPU",
        "replaced_seed": "torch.manual_seed = 1234 instead of a call",
        "not_a_tensor": "a value that is not a tensor",
        "wrong_shape": "another shape than (2, 3)",
        "not_moved": "`tensor.to(device)` without keeping the result",
        "gpu_unused": "the CPU where the machine has a GPU",
        "normal": "torch.randn instead of torch.rand",
        "reseeded": "the seed set again before the second tensor",
        "other_order": "the two tensors swapped",
        "seed_after_draw": "the seed set after drawing",
        "redrawn": "the draws run again without the seed",
        "drawn_between": "other draws between the seed and these",
        "no_seed": "no seed, or another one",
    },
    hints=[
        "Choose `device` with `torch.cuda.is_available()`; seed with `torch.manual_seed(1234)`, "
        "then draw two `torch.rand(2, 3)` and send each `.to(device)`.",
        "`tensor_1 = torch.rand(2, 3).to(device)`, right after the seed; then `tensor_2` the same "
        "way.",
    ],
    solution_code=code("""
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
"""),
)
