"""Exercises 00, 3 and 7 of the fundamentals set: matrix products, with the shape rule, judged by
their numbers (any spelling of the right product passes)."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code


def _shown(x: torch.Tensor) -> str:
    return "[" + ", ".join(f"{v:.4g}" for v in x.detach().flatten().tolist()[:4]) + "]"


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


# -- 7. Matrix multiplication on the GPU -----------------------------------------------------------
def _judge_7(a: Answer) -> str:
    x1 = t.tensor(a.tensor_1, "tensor_1")
    x2 = t.tensor(a.tensor_2, "tensor_2")
    result = t.tensor(a.result, "result")
    _other_products(x1, x2, result)
    if t.shape(result) != (2, 2):
        raise Mistake(
            "wrong_shape",
            f"`result` has shape {t.shape(result)}; (2, 3) @ (3, 2) gives (2, 2).",
        )
    if t.unfilled(result):
        raise Mistake(
            "unfilled",
            f"`result` holds {_shown(result)}: numbers no "
            "product of `tensor_1` and `tensor_2` gives (each is a sum of three products of "
            "numbers in [0, 1)), but leftovers of memory never filled in. PyTorch gives such a "
            "tensor, without an error, when one side of `@` is on the `meta` device "
            "(`.to('meta')` keeps a tensor's shape and drops its numbers). Multiply the two "
            "tensors where they are: `tensor_1 @ tensor_2.T`.",
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


def _other_products(x1: torch.Tensor, x2: torch.Tensor, result: torch.Tensor) -> None:
    """A Mistake when `result` is another product of the two: element-wise, transposed
    first, the other way round, or with a reshape where the transpose goes."""
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


def _expected_7() -> str:
    tensor_1, tensor_2 = t.seeded(1234, (2, 3), (2, 3))
    result = tensor_1 @ tensor_2.T
    return f"{result}\n{result.shape}"


q7 = Exercise(
    label="7",
    title="matrix multiplication on the GPU",
    names={"result": "the matrix product of `tensor_1` and `tensor_2`, shape (2, 2)"},
    uses={"tensor_1": "exercise 6", "tensor_2": "exercise 6"},
    judge=_judge_7,
    expected=_expected_7,
    mistakes={
        "not_a_tensor": "a value that is not a tensor",
        "elementwise": "the element-wise `*`",
        "first_transposed": "tensor_1.T @ tensor_2, a (3, 3) result",
        "reversed_product": "tensor_2 @ tensor_1.T, the transposed result",
        "reshaped": "reshape(3, 2) instead of the transpose",
        "wrong_shape": "any other shape",
        "unfilled": "a product with a meta tensor: memory never filled in",
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
