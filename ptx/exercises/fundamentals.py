"""The checks of Exercises 00, PyTorch fundamentals: the course's ten exercises on tensors, by the
course's numbers (`q1` ... `q10`).

    from ptx.exercises import fundamentals as ex
    ex.q2.check()
"""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake, NotAttempted
from ptx.exercises.sets import choice, code, unknown_exercise

__getattr__ = unknown_exercise(__name__)


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
        "not_random": "a constant tensor (zeros, ones)",
    },
    hints=["`torch.rand` takes the shape as its arguments.", "`torch.rand(7, 7)`."],
    solution_code=code("""
# no seed yet: the numbers change from run to run, so only the shape is printed
random_tensor = torch.rand(7, 7)
print(random_tensor.shape)
"""),
)


# -- 3. Matrix multiplication ----------------------------------------------------------------------
def judge_product(first, second, product, names: tuple[str, str, str]) -> None:
    """The matrix product `first @ second.T` of a (7, 7) and a (1, 7) tensor, or the mistake."""
    a, b, p = names
    if t.shape(product) == (7, 7) and t.close(product, first * second):
        raise Mistake(
            "elementwise",
            f"`{p}` has shape (7, 7): it is the element-wise product `{a} * {b}`, which "
            f"multiplies number by number and stretches `{b}`'s one row over seven. The task asks "
            f"for the matrix product `@`, and the shape rule says how: (7, 7) @ (7, 1) -> (7, 1), "
            f"so transpose the second: `{a} @ {b}.T`.",
        )
    if t.shape(product) == (1, 7) and t.close(product, second @ first):
        raise Mistake(
            "reversed_product",
            f"`{p}` is `{b} @ {a}`: a matrix product, but the other way round, (1, 7) @ (7, 7) -> "
            f"(1, 7). The task multiplies the tensor of exercise 2 by the new one, whose shape "
            f"needs a transpose to fit: `{a} @ {b}.T`, (7, 7) @ (7, 1) -> (7, 1).",
        )
    if t.shape(product) == (1, 7) and t.close(product, (first @ second.T).T):
        raise Mistake(
            "transposed_result",
            f"`{p}` has the right numbers as a row, shape (1, 7): that is `({a} @ {b}.T).T`, or "
            f"`{b} @ {a}.T`. The product the task asks for is a column: `{a} @ {b}.T`, (7, 1).",
        )
    if t.shape(product) != (7, 1):
        raise Mistake(
            "wrong_shape",
            f"`{p}` has shape {t.shape(product)}; `{a} @ {b}.T` is (7, 7) @ (7, 1) -> (7, 1).",
        )
    if not t.close(product, first @ second.T):
        raise Mistake(
            "new_draws",
            f"`{p}` has shape (7, 1) but is not the product of `{a}` and `{b}`: were new random "
            f"tensors drawn on the line that multiplies? Multiply the ones you stored: "
            f"`{a} @ {b}.T`.",
        )


def _judge_3(a: Answer) -> str:
    first = t.tensor(a.random_tensor, "random_tensor")
    second = t.shaped(a.other_tensor, "other_tensor", (1, 7), code="other_shape")
    product = t.tensor(a.product, "product")
    if first.dtype != second.dtype:
        raise Mistake(
            "integers",
            f"`random_tensor` is {first.dtype} and `other_tensor` {second.dtype}: a matrix product "
            "needs one dtype. Draw both with `torch.rand`.",
        )
    judge_product(first, second, product, ("random_tensor", "other_tensor", "product"))
    return (
        "(7, 7) @ (7, 1) -> (7, 1): the inner sizes agree (7 and 7) and the result takes the "
        "outer ones. `random_tensor @ other_tensor.T`, `torch.matmul(random_tensor, "
        "other_tensor.T)` and `torch.mm(random_tensor, other_tensor.t())` are the same product."
    )


q3 = Exercise(
    label="3",
    title="matrix multiplication",
    names={
        "other_tensor": "a random tensor of shape (1, 7)",
        "product": "the matrix product of `random_tensor` and `other_tensor`",
    },
    uses={"random_tensor": "exercise 2"},
    judge=_judge_3,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "other_shape": "other_tensor not of shape (1, 7)",
        "integers": "tensors of two dtypes",
        "elementwise": "the element-wise `*` instead of the matrix product",
        "reversed_product": "other_tensor @ random_tensor",
        "transposed_result": "the right numbers as a (1, 7) row",
        "wrong_shape": "any other shape",
        "new_draws": "the product of other tensors than the two stored",
    },
    hints=[
        "A matrix product (a, b) @ (c, d) needs b == c. `other_tensor` is (1, 7): what shape "
        "does `other_tensor.T` have?",
        "`product = random_tensor @ other_tensor.T`.",
    ],
    solution_code=code("""
other_tensor = torch.rand(1, 7)
product = random_tensor @ other_tensor.T  # (7, 7) @ (7, 1)
print(product.shape)
"""),
)


# -- 4. The same with a seed -----------------------------------------------------------------------
def _seed_mistakes(seed: int, drawn: list[torch.Tensor], names: list[str]) -> None:
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
        _seed_mistakes(0, [tensor_A, tensor_B], ["tensor_A", "tensor_B"])
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


def _judge_6(a: Answer) -> str:
    try:
        device = torch.device(a.device)
    except (RuntimeError, TypeError):
        raise Mistake(
            "not_a_device",
            f"`device` is {t.describe(a.device)}, not a device: `torch.device('cuda')`, or "
            "'cuda', 'mps', 'cpu' as a string.",
        ) from None
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
    _seed_mistakes(1234, drawn, ["tensor_1", "tensor_2"])
    raise AssertionError("unreachable")


q6 = Exercise(
    label="6",
    title="two random tensors on the GPU",
    names={
        "device": "the device to use: the GPU when there is one, else the CPU",
        "tensor_1": "a random (2, 3) tensor drawn after `torch.manual_seed(1234)`, on `device`",
        "tensor_2": "a second random (2, 3) tensor drawn after it, on `device`",
    },
    judge=_judge_6,
    mistakes={
        "not_a_device": "device is not a device",
        "not_a_tensor": "a value that is not a tensor",
        "wrong_shape": "another shape than (2, 3)",
        "not_moved": "`tensor.to(device)` without keeping the result",
        "gpu_unused": "the CPU where the machine has a GPU",
        "normal": "torch.randn instead of torch.rand",
        "reseeded": "the seed set again before the second tensor",
        "other_order": "the two tensors swapped",
        "seed_after_draw": "the seed set after drawing",
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


# -- 7. Matrix multiplication on the GPU -----------------------------------------------------------
def _judge_7(a: Answer) -> str:
    x1 = t.tensor(a.tensor_1, "tensor_1")
    x2 = t.tensor(a.tensor_2, "tensor_2")
    result = t.tensor(a.result, "result")
    if t.shape(result) == (2, 3) and t.close(result, x1 * x2):
        raise Mistake(
            "elementwise",
            "`result` has shape (2, 3): it is the element-wise product `tensor_1 * tensor_2`. "
            "The matrix product `@` needs the inner sizes to agree, (2, 3) @ (3, 2) -> (2, 2): "
            "`tensor_1 @ tensor_2.T`.",
        )
    if t.shape(result) == (3, 3) and t.close(result, x1.T @ x2):
        raise Mistake(
            "first_transposed",
            "`result` is `tensor_1.T @ tensor_2`, (3, 2) @ (2, 3) -> (3, 3): a matrix product, but "
            "with the first tensor transposed. The course's is (2, 3) @ (3, 2) -> (2, 2): "
            "`tensor_1 @ tensor_2.T`.",
        )
    if t.shape(result) == (2, 2) and t.close(result, x2 @ x1.T):
        raise Mistake(
            "reversed_product",
            "`result` is `tensor_2 @ tensor_1.T`: the transpose of the course's result (its "
            "corners agree, the other two numbers are swapped). Multiply in the task's order: "
            "`tensor_1 @ tensor_2.T`.",
        )
    if t.shape(result) == (2, 2) and t.close(result, x1 @ x2.reshape(3, 2)):
        raise Mistake(
            "reshaped",
            "`result` is `tensor_1 @ tensor_2.reshape(3, 2)` (or `.view(3, 2)`). A reshape keeps "
            "the numbers in their order and cuts them into new rows; the transpose `.T` turns rows "
            "into columns. Both give (3, 2), but only `.T` gives the course's product.",
        )
    if t.shape(result) != (2, 2):
        raise Mistake(
            "wrong_shape",
            f"`result` has shape {t.shape(result)}; (2, 3) @ (3, 2) gives (2, 2).",
        )
    if not t.close(result, x1 @ x2.T):
        raise Mistake(
            "new_draws",
            "`result` is (2, 2) but not the product of `tensor_1` and `tensor_2`: multiply the "
            "two tensors of exercise 6, `tensor_1 @ tensor_2.T`.",
        )
    course = t.close(result, t.seeded(1234, (2, 3))[0] @ t.seeded(1234, (2, 3), (2, 3))[1].T)
    return "(2, 3) @ (3, 2) -> (2, 2)" + (
        f", and the course's numbers: {t.short(result)}." if course else "."
    )


q7 = Exercise(
    label="7",
    title="matrix multiplication on the GPU",
    names={"result": "the matrix product of `tensor_1` and `tensor_2`, shape (2, 2)"},
    uses={"tensor_1": "exercise 6", "tensor_2": "exercise 6"},
    judge=_judge_7,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "elementwise": "the element-wise `*`",
        "first_transposed": "tensor_1.T @ tensor_2, a (3, 3) result",
        "reversed_product": "tensor_2 @ tensor_1.T, the transposed result",
        "reshaped": "reshape(3, 2) instead of the transpose",
        "wrong_shape": "any other shape",
        "new_draws": "the product of other tensors",
    },
    hints=[
        "Both tensors are (2, 3). Which one do you transpose so that the inner sizes agree and "
        "the result is (2, 2)?",
        "`result = tensor_1 @ tensor_2.T`.",
    ],
    solution_code=code("""
result = tensor_1 @ tensor_2.T  # (2, 3) @ (3, 2)
print(result)
print(result.shape)
"""),
)


# -- 8 and 9. Max, min, and where they are ---------------------------------------------------------
def _one_number(value: object, name: str, what: str, per_dim_hint: str) -> float:
    if isinstance(value, tuple) and hasattr(value, "values") and hasattr(value, "indices"):
        raise Mistake(
            "per_dim",
            f"`{name}` is a (values, indices) pair: `{per_dim_hint}(dim=...)` gives the {what} of "
            f"each row or column and where it is. Without `dim`, `result.{per_dim_hint}()` "
            f"gives the {what} of the whole tensor.",
        )
    if isinstance(value, torch.Tensor) and value.numel() > 1:
        raise Mistake(
            "per_dim",
            f"`{name}` is {t.describe(value)}: one {what} per row or column (a `dim=` argument). "
            f"Without `dim`, `result.{per_dim_hint}()` gives one number for the whole tensor.",
        )
    n = t.number(value)
    if n is None:
        raise Mistake("not_a_number", f"`{name}` is {t.describe(value)}, not a number.")
    return n


def _judge_8(a: Answer) -> str:
    result = t.tensor(a.result, "result").detach().cpu()
    biggest = _one_number(a.max_value, "max_value", "maximum", "max")
    smallest = _one_number(a.min_value, "min_value", "minimum", "min")
    top, bottom = result.max().item(), result.min().item()
    if abs(biggest - bottom) < 1e-6 and abs(smallest - top) < 1e-6 and top != bottom:
        raise Mistake("swapped", "`max_value` and `min_value` are swapped.")
    positions = (result.argmax().item(), result.argmin().item())
    if (biggest, smallest) == positions:
        raise Mistake(
            "positions",
            f"`max_value` and `min_value` are {int(biggest)} and {int(smallest)}: positions "
            "(`argmax`, `argmin`, exercise 9), not values. `result.max()` gives the largest value.",
        )
    if abs(biggest - top) > 1e-6 or abs(smallest - bottom) > 1e-6:
        raise Mistake(
            "other_tensor",
            f"`max_value` and `min_value` are {biggest:.4f} and {smallest:.4f}, but the largest and "
            f"smallest numbers of `result` are {top:.4f} and {bottom:.4f}: take them from `result`.",
        )
    return f"{top:.4f} and {bottom:.4f}, as the course's output has them."


q8 = Exercise(
    label="8",
    title="the maximum and the minimum",
    names={"max_value": "the largest number in `result`", "min_value": "the smallest"},
    uses={"result": "exercise 7"},
    judge=_judge_8,
    mistakes={
        "per_dim": "max(dim=...) or amax(dim=...): one per row or column",
        "not_a_number": "something that is not a number",
        "swapped": "max and min swapped",
        "positions": "argmax and argmin instead of the values",
        "other_tensor": "the max and min of another tensor",
    },
    hints=["Tensors have `.max()` and `.min()`.", "`max_value = result.max()`."],
    solution_code=code("""
max_value = result.max()
min_value = result.min()
print(f"max: {max_value:.4f}, min: {min_value:.4f}")
"""),
)


def _position(value: object, name: str, result: torch.Tensor, flat: int, what: str):
    """A flat position, or (row, column) of a 2-d result (the latter accepted, and said)."""
    row_column = [float(i) for i in divmod(flat, result.shape[1])]
    if isinstance(value, tuple | list) and [t.number(v) for v in value] == row_column:
        return "pair"  # torch.unravel_index's (row, column)
    n = _one_number(value, name, f"position of the {what}", f"arg{what[:3]}")
    if abs(n - round(n)) > 1e-9:
        raise Mistake(
            "values",
            f"`{name}` is {n:.4f}: a value (exercise 8), not a position. "
            f"`result.arg{what[:3]}()` gives where the {what} is.",
        )
    return int(round(n))


def _judge_9(a: Answer) -> str:
    result = t.tensor(a.result, "result").detach().cpu()
    top, bottom = result.argmax().item(), result.argmin().item()
    found = (
        _position(a.max_index, "max_index", result, top, "maximum"),
        _position(a.min_index, "min_index", result, bottom, "minimum"),
    )
    if found == (bottom, top) and top != bottom:
        raise Mistake("swapped", "`max_index` and `min_index` are swapped.")
    if found[0] not in (top, "pair") or found[1] not in (bottom, "pair"):
        raise Mistake(
            "other_positions",
            f"`max_index` and `min_index` are {found[0]} and {found[1]}, but `result` has its "
            f"maximum at {top} and its minimum at {bottom} (counting along the flattened tensor).",
        )
    row, column = divmod(top, result.shape[1])
    if "pair" in found:
        return (
            f"As (row, column) pairs: fine. `argmax()` alone counts along the flattened tensor: "
            f"{top} and {bottom}, the course's numbers."
        )
    return (
        f"{top} and {bottom}, the course's numbers. `argmax` counts along the flattened tensor: "
        f"position {top} of the (2, 2) result is row {row}, column {column} "
        "(`torch.unravel_index` turns one into the other)."
    )


q9 = Exercise(
    label="9",
    title="where the maximum and the minimum are",
    names={
        "max_index": "the position of the largest number in `result`",
        "min_index": "the position of the smallest",
    },
    uses={"result": "exercise 7"},
    judge=_judge_9,
    mistakes={
        "per_dim": "argmax(dim=...): one position per row or column",
        "not_a_number": "something that is not a number",
        "values": "the values instead of the positions",
        "swapped": "the two positions swapped",
        "other_positions": "positions of another tensor",
    },
    hints=["`.argmax()` and `.argmin()`.", "`max_index = result.argmax()`."],
    solution_code=code("""
max_index = result.argmax()
min_index = result.argmin()
print(f"argmax: {max_index}, argmin: {min_index}")
"""),
)


# -- 10. Squeeze -----------------------------------------------------------------------------------
def _judge_10(a: Answer) -> str:
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
        _seed_mistakes(7, [x4], ["tensor_4d"])
    return (
        f"(1, 1, 1, 10) -> (10,), with the course's numbers {t.short(squeezed)}. `squeeze()` "
        "removes exactly the size-1 axes; `reshape(10)` and `flatten()` give the same here, but "
        "only `squeeze` says which axes go."
    )


q10 = Exercise(
    label="10",
    title="squeeze",
    names={
        "tensor_4d": "a random (1, 1, 1, 10) tensor drawn after `torch.manual_seed(7)`",
        "tensor_squeezed": "the same numbers with every size-1 axis removed, shape (10,)",
    },
    judge=_judge_10,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "in_place": "squeeze_() changed tensor_4d itself",
        "wrong_shape": "another shape",
        "not_kept": "squeeze() called without keeping its result",
        "one_axis": "squeeze(dim) removing one axis only",
        "unsqueezed": "unsqueeze instead of squeeze",
        "other_values": "a tensor that is not tensor_4d's numbers",
        "normal": "torch.randn instead of torch.rand",
        "seed_after_draw": "the seed set after drawing",
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
