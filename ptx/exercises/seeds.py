"""Exercises 00, 4 and 5 of the fundamentals set, and the judging of every seeded draw: the seed
before the draws, once, with the course's seed, and the GPU's own seed."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake, NotAttempted
from ptx.exercises.products import judge_product
from ptx.exercises.sets import code


# -- 4. The same with a seed -----------------------------------------------------------------------
def seed_mistakes(seed: int, drawn: list[torch.Tensor], names: list[str]) -> None:
    """The ways a seeded draw goes wrong: another seed, none, the seed after a draw, reseeding
    before every draw, another order, the normal distribution."""
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
    current = torch.initial_seed()
    if current == seed:
        raise Mistake(
            "seed_after_draw",
            f"the seed is {seed}, but {listed} are not what it draws: the seed was set after "
            f"drawing. `torch.manual_seed({seed})` fixes the numbers drawn after it, so it goes "
            "first, then the draws.",
        )
    raise Mistake(
        "no_seed",
        f"{listed} are not what seed {seed} draws, and the last seed set is not {seed}. Call "
        f"`torch.manual_seed({seed})` right before drawing.",
    )


def _judge_4(a: Answer) -> str:
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


q4 = Exercise(
    label="4",
    title="the same with a seed",
    names={
        "tensor_A": "a random (7, 7) tensor drawn with the seed set to 0",
        "tensor_B": "a random (1, 7) tensor drawn after it",
        "result_seed_0": "their matrix product",
    },
    judge=_judge_4,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "wrong_shape": "tensor_A or tensor_B of another shape, or the product",
        "normal": "torch.randn instead of torch.rand",
        "reseeded": "the seed set again before each draw",
        "other_order": "tensor_B drawn before tensor_A",
        "seed_after_draw": "the seed set after drawing",
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
def gpu_seed() -> tuple[int | None, str]:
    """The seed the current GPU's generator has, or will get when CUDA starts, and what set it:
    "torch.cuda.manual_seed", "every device" (torch.manual_seed, torch.cuda.manual_seed_all), or
    "the GPU" (CUDA already running: the generator itself says). (None, "") when nothing did.

    Without a GPU, PyTorch queues GPU seeds until CUDA starts; the queue is where to look.
    """
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        return torch.cuda.initial_seed(), "the GPU"
    tracker = getattr(torch.cuda, "_lazy_seed_tracker", None)
    calls = [call for call in getattr(tracker, "call_order", []) if call]
    if not calls:
        return None, ""
    callback = calls[-1][0]
    cells = dict(zip(callback.__code__.co_freevars, callback.__closure__ or (), strict=True))
    if "seed" not in cells:
        return None, ""
    who = "torch.cuda.manual_seed" if calls[-1] is tracker.manual_seed_cb else "every device"
    return int(cells["seed"].cell_contents), who


def _judge_5(a: Answer) -> str:
    if not callable(torch.cuda.manual_seed):
        raise Mistake(
            "replaced_function",
            f"`torch.cuda.manual_seed` is now {t.describe(torch.cuda.manual_seed)}: an `=` put a "
            "value where the function was. Put the function back with "
            "`torch.cuda.manual_seed = torch.cuda.random.manual_seed`, then call it: "
            "`torch.cuda.manual_seed(1234)`.",
        )
    seed, who = gpu_seed()
    if seed is None or (seed == 0 and who == "every device"):
        raise NotAttempted(
            "No GPU seed of this exercise yet"
            + (" (the last one is exercise 4's `torch.manual_seed(0)`)" if seed == 0 else "")
            + ". Find the GPU's version of `torch.manual_seed` in `torch.cuda`, and seed it with "
            "1234; then run this check again."
        )
    if seed != 1234:
        raise Mistake(
            "other_seed",
            f"the GPU's seed is {seed} (set by {who}); the task asks for 1234: "
            "`torch.cuda.manual_seed(1234)`.",
        )
    if who == "torch.cuda.manual_seed":
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
    mistakes={
        "replaced_function": "torch.cuda.manual_seed = 1234 instead of a call",
        "other_seed": "the GPU seeded with another number",
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
