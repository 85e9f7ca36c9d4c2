"""Exercises 00, 4 and 5 of the fundamentals set, and the judging of every seeded draw: the seed
before the draws, once, with the course's seed, and the GPU's own seed."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

import torch

from ptx.exercises import cells
from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake, NotAttempted, Unjudgeable
from ptx.exercises.products import judge_product
from ptx.exercises.sets import code

# -- 4. The same with a seed -----------------------------------------------------------------------
ORDINALS = {2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh"}


def seed_function_intact(seed: int) -> None:
    """A Mistake when `torch.manual_seed = ...` replaced the function with a value."""
    if not callable(torch.manual_seed):
        raise Mistake(
            "replaced_seed",
            f"`torch.manual_seed` is now {t.describe(torch.manual_seed)}: `torch.manual_seed = "
            f"{torch.manual_seed!r}` put a value where the function was, so nothing was seeded, "
            "and from now on every `torch.manual_seed(...)` in this session raises `TypeError: "
            f"'{type(torch.manual_seed).__name__}' object is not callable`. Put the function "
            "back, `torch.manual_seed = torch.random.manual_seed`, then call it before the "
            f"draws: `torch.manual_seed({seed})`.",
        )


def seed_mistakes(seed: int, drawn: list[torch.Tensor], names: list[str]) -> None:
    """The ways a seeded draw goes wrong: the normal distribution, reseeding before every draw,
    another order, the seed after the draws, the draws run again, other draws in between,
    another seed or none."""
    shapes = [t.shape(x) for x in drawn]
    listed = " and ".join(f"`{n}`" for n in names)
    if all(
        t.close(x, r) for x, r in zip(drawn, t.seeded(seed, *shapes, draw=torch.randn), strict=True)
    ):
        raise Mistake(
            "normal",
            f"{listed} are the numbers `torch.randn` draws with seed {seed}: the normal "
            "distribution. The course's numbers come from `torch.rand` (uniform in [0, 1)).",
        )
    if len(drawn) > 1 and all(
        t.close(x, t.seeded(seed, s)[0]) for x, s in zip(drawn, shapes, strict=True)
    ):
        raise Mistake(
            "reseeded",
            f"each of {listed} was drawn right after its own `torch.manual_seed({seed})`, so each "
            "starts the generator's sequence again. Seed once, then draw them all: the generator "
            "goes on where the last draw stopped, and that gives the course's numbers.",
        )
    if len(drawn) > 1 and all(
        t.close(x, r)
        for x, r in zip(drawn, reversed(t.seeded(seed, *reversed(shapes))), strict=True)
    ):
        raise Mistake(
            "other_order",
            f"{listed} hold the right numbers drawn in the other order. The generator hands out "
            "numbers in sequence: draw them in the order the task gives.",
        )
    _seed_not_first(seed, drawn, shapes, listed)


def _seed_not_first(seed: int, drawn, shapes, listed: str) -> None:
    """The generator's own state says where the seed went: right after it (nothing drawn since:
    the seed came after the draws), or several runs of the same draws after it."""
    if torch.equal(torch.get_rng_state(), torch.Generator().manual_seed(seed).get_state()):
        raise Mistake(
            "seed_after_draw",
            f"the generator is exactly where `torch.manual_seed({seed})` leaves it, with nothing "
            f"drawn since, and {listed} are not what it draws: the seed was set after drawing. "
            f"`torch.manual_seed({seed})` fixes the numbers drawn after it, so it goes first, "
            "then the draws.",
        )
    if torch.initial_seed() != seed:
        raise Mistake(
            "no_seed",
            f"{listed} are not what seed {seed} draws, and the last seed set is not {seed}. Call "
            f"`torch.manual_seed({seed})` right before drawing.",
        )
    for runs in ORDINALS:
        if all(
            t.close(x, r)
            for x, r in zip(drawn, t.seeded(seed, *shapes * runs)[-len(shapes) :], strict=True)
        ):
            raise Mistake(
                "redrawn",
                f"{listed} are what seed {seed} gives on the {ORDINALS[runs]} run of these draws: "
                f"they ran {runs} times after one `torch.manual_seed({seed})` (the cell that draws "
                "run again without the seed?), and each run goes on where the last stopped. Put "
                f"`torch.manual_seed({seed})` and the draws in one cell, and run that cell.",
            )
    raise Mistake(
        "drawn_between",
        f"the last seed set is {seed}, but {listed} are not the first numbers it gives: other "
        "random numbers were drawn between the seed and these draws (another cell's draws, a "
        f"model made in between). Put `torch.manual_seed({seed})` right before the draws, in the "
        "same cell.",
    )


def _judge_4(a: Answer) -> str:
    seed_function_intact(0)
    tensor_A = t.shaped(a.tensor_A, "tensor_A", (7, 7))
    tensor_B = t.shaped(a.tensor_B, "tensor_B", (1, 7))
    result = t.tensor(a.result_seed_0, "result_seed_0")
    reference = t.seeded(0, (7, 7), (1, 7))
    if not (t.close(tensor_A, reference[0]) and t.close(tensor_B, reference[1])):
        seed_mistakes(0, [tensor_A, tensor_B], ["tensor_A", "tensor_B"])
    judge_product(tensor_A, tensor_B, result, ("tensor_A", "tensor_B", "result_seed_0"))
    return (
        f"`result_seed_0` is {t.short(result)}, shape (7, 1): the course's numbers. The seed "
        "fixes every number drawn after it, on any machine."
    )


def _expected_4() -> str:
    tensor_A, tensor_B = t.seeded(0, (7, 7), (1, 7))
    product = tensor_A @ tensor_B.T
    return f"{product}\n{product.shape}"


q4 = Exercise(
    label="4",
    title="the same with a seed",
    names={
        "tensor_A": "a random (7, 7) tensor drawn with the seed set to 0",
        "tensor_B": "a random (1, 7) tensor drawn after it",
        "result_seed_0": "their matrix product",
    },
    judge=_judge_4,
    expected=_expected_4,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "wrong_shape": "tensor_A or tensor_B of another shape, or the product",
        "normal": "torch.randn instead of torch.rand",
        "reseeded": "the seed set again before each draw",
        "other_order": "tensor_B drawn before tensor_A",
        "replaced_seed": "torch.manual_seed = 0 instead of a call",
        "seed_after_draw": "the seed set after drawing",
        "redrawn": "the draws run again without the seed",
        "drawn_between": "other draws between the seed and these",
        "no_seed": "no seed, or another one",
        "elementwise": "the element-wise `*`",
        "reversed_product": "tensor_B @ tensor_A",
        "transposed_result": "the right numbers as a row",
        "new_draws": "the product of other tensors",
    },
    hints=[
        "`torch.manual_seed(0)` first, then the two `torch.rand` draws, then the product, as in "
        "exercises 2 and 3.",
        "The seed goes right before the first draw, and only there.",
    ],
    solution_code=code("""
torch.manual_seed(0)
tensor_A = torch.rand(7, 7)
tensor_B = torch.rand(1, 7)
result_seed_0 = tensor_A @ tensor_B.T
print(result_seed_0)
print(result_seed_0.shape)
"""),
)


# -- 5. A seed for the GPU -------------------------------------------------------------------------
@dataclass(frozen=True)
class GpuSeed:
    """The seed the current GPU's generator has, or will get when CUDA starts: `seed` (None for
    a random one), what set it, and in which cell when IPython says."""

    seed: int | None
    who: str
    cell: int | None = None
    file: str = ""  # where the call was made: the learner's file and line
    line: int = 0

    def after(self, other: GpuSeed) -> bool:
        """Whether this call came after the other, as far as the cells or the lines say."""
        if self.cell is not None and other.cell is not None and self.cell != other.cell:
            return self.cell > other.cell
        return self.file == other.file and self.line > other.line


def gpu_seed(namespace: Mapping[str, object]) -> GpuSeed | None:
    """What seeds the GPU now; None when nothing did. Without a GPU, PyTorch queues GPU seeds
    until CUDA starts, in private places (`torch.cuda._lazy_seed_tracker` for the last
    `manual_seed` and `manual_seed_all`, `torch.cuda._queued_calls` for a random `seed()`); a
    PyTorch that keeps them elsewhere makes the check say it cannot judge, never raise."""
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        return GpuSeed(torch.cuda.initial_seed(), "the GPU")
    try:
        queued = _queued_seeds()
    except Exception:  # another PyTorch's internals
        raise Unjudgeable(
            f"This PyTorch ({torch.__version__}) keeps the GPU seeds it has not used yet where "
            "this check cannot read them, and there is no GPU here to ask, so it cannot tell "
            "which seed you set. If you called `torch.cuda.manual_seed(1234)` (or "
            "`torch.cuda.manual_seed_all(1234)`), that is the answer."
        ) from None
    found = [GpuSeed(seed, who, *_origin(stack, namespace)) for seed, who, stack in queued]
    latest = next((f for f in found if f.seed is not None), None)
    randoms = [f for f in found if f.seed is None]
    if randoms and (latest is None or randoms[-1].after(latest)):
        return randoms[-1]
    return latest


def _queued_seeds() -> list[tuple[int | None, str, list[str]]]:
    """(seed, what set it, the call's stack) for the last seed torch queued for the GPU (by
    `manual_seed`, or for every device), then for each random `seed()` it queued: read from
    torch's private queues, which any change of torch may rename (the caller guards)."""
    tracker = torch.cuda._lazy_seed_tracker
    queued = []
    if calls := [c for c in tracker.call_order if c]:
        callback, stack = calls[-1]
        closure = dict(zip(callback.__code__.co_freevars, callback.__closure__, strict=True))
        who = "torch.cuda.manual_seed" if calls[-1] is tracker.manual_seed_cb else "every device"
        queued.append((int(closure["seed"].cell_contents), who, stack))
    for callback, stack in torch.cuda._queued_calls:
        if callback.__qualname__ in ("seed.<locals>.cb", "seed_all.<locals>.cb"):
            queued.append((None, f"torch.cuda.{callback.__qualname__.split('.')[0]}()", stack))
    return queued


def _origin(stack: list[str], namespace: Mapping[str, object]) -> tuple[int | None, str, int]:
    """(cell, file, line) of the learner's code that made a call, read from the call's formatted
    stack: its innermost frame outside torch."""
    inside = os.path.dirname(torch.__file__)
    frames = re.findall(r'File "([^"]+)", line (\d+)', "".join(stack))
    mine = [(file, int(line)) for file, line in frames if not file.startswith(inside)]
    file, line = mine[-1] if mine else ("", 0)
    return cells.cell_number(file, namespace), file, line


def _judge_5(a: Answer) -> str:
    if not callable(torch.cuda.manual_seed):
        raise Mistake(
            "replaced_function",
            f"`torch.cuda.manual_seed` is now {t.describe(torch.cuda.manual_seed)}: an `=` put a "
            "value where the function was. Put the function back with "
            "`torch.cuda.manual_seed = torch.cuda.random.manual_seed`, then call it: "
            "`torch.cuda.manual_seed(1234)`.",
        )
    found = gpu_seed(a.namespace)
    if found is None or (found.seed == 0 and found.who == "every device"):
        raise NotAttempted(
            "No GPU seed of this exercise yet"
            + (
                " (the last seed set on every device is 0, by `torch.manual_seed(0)`, which "
                "seeds the GPU too)"
                if found
                else ""
            )
            + ". Find the GPU's version of `torch.manual_seed` in `torch.cuda`, and seed it with "
            "1234; then run this check again."
        )
    where = f" in In [{found.cell}]" if found.cell else ""
    if found.seed is None:
        raise Mistake(
            "random_seed",
            f"the GPU's last seed came from `{found.who}`{where}, which seeds it with a random "
            "number, a new one each time: reproducible runs need a fixed one. "
            "`torch.cuda.manual_seed(1234)`.",
        )
    if found.seed != 1234:
        raise Mistake(
            "other_seed",
            f"the GPU's seed is {found.seed} (set by {found.who}{where}); the task asks for 1234: "
            "`torch.cuda.manual_seed(1234)`.",
        )
    if found.who == "torch.cuda.manual_seed":
        return (
            "`torch.cuda.manual_seed(1234)` seeds the current GPU (`manual_seed_all`: every GPU); "
            "without a GPU it is accepted and waits. Notice that `torch.manual_seed(1234)` alone "
            "does the same and more: it seeds every device."
        )
    return (
        "The GPU's seed is 1234. `torch.manual_seed` seeds every device, the CPU and each GPU, "
        "so it does this job; `torch.cuda.manual_seed(1234)` seeds the current GPU alone."
    )


q5 = Exercise(
    label="5",
    title="a seed for the GPU",
    names={},
    judge=_judge_5,
    marks=("cuda.manual_seed", "cuda.manualseed", "cuda.seed"),  # not exercise 4's manual_seed
    mistakes={
        "replaced_function": "torch.cuda.manual_seed = 1234 instead of a call",
        "other_seed": "the GPU seeded with another number",
        "random_seed": "torch.cuda.seed(): a random seed",
    },
    hints=[
        "`torch.cuda` has its own `manual_seed`.",
        "`torch.cuda.manual_seed(1234)`: on a machine without a GPU it is accepted.",
    ],
    solution_code=code("""
# on a machine without a GPU this is accepted, and does nothing
torch.cuda.manual_seed(1234)
print(f"CUDA available: {torch.cuda.is_available()}")
"""),
)
