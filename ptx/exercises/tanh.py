"""Exercise 02, 6 of the binary classification set: tanh written in plain PyTorch, judged by its
numbers, with torch.tanh watched (and recognised under another name)."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.running import call
from ptx.exercises.sets import code


# -- 6. tanh by hand -------------------------------------------------------------------------------
def _judge_6(a: Answer) -> str:
    fn = a.tanh
    if not callable(fn):
        raise Mistake("not_a_function", f"`tanh` is {t.describe(fn)}, not a function.")
    if fn is torch.tanh or fn is torch.nn.functional.tanh:
        raise Mistake(
            "uses_torch_tanh", "`tanh` is `torch.tanh` itself; write it from `torch.exp`."
        )
    x = torch.linspace(-10, 10, 1001)
    out = _called_without_torch_tanh(fn, x)
    if out is None:
        raise Mistake("returns_none", "your `tanh` returns None: does it end with `return`?")
    out = t.tensor(out, "tanh(x)", code="returns_none").detach().float().cpu()
    _judge_values(out, x)
    far, _ = call(
        fn, torch.tensor([-100.0, 100.0]), what="your `tanh`", raises="raises", hangs="hangs"
    )
    overflow = bool(torch.isnan(t.tensor(far, "tanh(x)")).any())
    return "It matches `torch.tanh` on [-10, 10]." + (
        " Notice what it gives at -100 and 100: nan. `torch.exp(100.0)` overflows float32 to "
        "inf, and inf / inf is nan; `2 * torch.sigmoid(2 * x) - 1` is the same function without "
        "the overflow."
        if overflow
        else " And it stays finite at -100 and 100, where the plain formula overflows."
    )


def _called_without_torch_tanh(fn, x: torch.Tensor):
    """`fn(x)` with `torch.tanh` and `Tensor.tanh` watched; a Mistake when it calls them, changes
    its input, or uses `math.exp`."""
    original = x.clone()
    called = []
    real = torch.tanh, torch.Tensor.tanh

    def spy(*args, **kwargs):
        called.append(True)
        return real[0](*args, **kwargs)

    torch.tanh, torch.Tensor.tanh = spy, lambda self: spy(self)
    try:
        out, _ = call(fn, x, what="your `tanh(x)`", raises="raises", hangs="hangs")
    except Mistake as mistake:
        if "only one element tensors" in mistake.message:
            raise Mistake(
                "python_math",
                "your `tanh` uses `math.exp`, which takes one number at a time: given a tensor it "
                "raises `only one element tensors can be converted to Python scalars`. "
                "`torch.exp` works on every element.",
            ) from None
        raise
    finally:
        torch.tanh, torch.Tensor.tanh = real
    if called:
        raise Mistake(
            "uses_torch_tanh",
            "your `tanh` calls `torch.tanh`: the exercise asks to build it from `torch.exp`, "
            "(e^x - e^-x) / (e^x + e^-x).",
        )
    if not torch.equal(x, original):
        raise Mistake(
            "changes_input",
            "your `tanh` changed its input in place (a method with an underscore, such as "
            "`exp_()`): whoever calls it loses their tensor. Use `torch.exp(x)`.",
        )
    return out


def _judge_values(out: torch.Tensor, x: torch.Tensor) -> None:
    """A Mistake when the numbers are not tanh's, or are exactly torch.tanh's."""
    expected = torch.tanh(x)
    if torch.equal(out, expected):
        raise Mistake(
            "uses_torch_tanh",
            "your `tanh` gives exactly `torch.tanh`'s numbers, bit for bit, at all 1001 points "
            "from -10 to 10, which a formula of `torch.exp` never does (its roundings differ "
            "somewhere): it calls `torch.tanh` under another name (`my = torch.tanh`, or "
            "`from torch import tanh as th`). Build it from `torch.exp`: "
            "(e^x - e^-x) / (e^x + e^-x).",
        )
    same_shape = t.shape(out) == t.shape(x)
    if same_shape and torch.allclose(out, torch.sigmoid(x), atol=1e-5):
        raise Mistake(
            "sigmoid",
            "that is the sigmoid, 1 / (1 + e^-x): its values lie in (0, 1). tanh's lie in "
            "(-1, 1): (e^x - e^-x) / (e^x + e^-x).",
        )
    wide = x.abs() > 0.1
    if same_shape and torch.allclose((1 / out)[wide], expected[wide], atol=1e-4):
        raise Mistake(
            "upside_down",
            "that is 1 / tanh (coth): the fraction is upside down, and at 0 it divides by zero. "
            "tanh is (e^x - e^-x) / (e^x + e^-x).",
        )
    if not same_shape or not torch.allclose(out, expected, atol=1e-5):
        worst = (out - expected).abs().argmax().item() if same_shape else 0
        raise Mistake(
            "wrong_values",
            "your `tanh` differs from `torch.tanh`"
            + (f", most at x = {x[worst].item():.2f}" if same_shape else "")
            + ": compare it with (e^x - e^-x) / (e^x + e^-x), term by term.",
        )


q6 = Exercise(
    label="6",
    title="tanh in plain PyTorch",
    names={"tanh": "your function: `tanh(x)` for a tensor `x`, from `torch.exp`"},
    judge=_judge_6,
    mistakes={
        "not_a_function": "something that is not a function",
        "uses_torch_tanh": "torch.tanh itself",
        "raises": "a function that raises",
        "hangs": "a function that never returns",
        "python_math": "math.exp instead of torch.exp",
        "changes_input": "a function that changes its input",
        "returns_none": "no return",
        "sigmoid": "the sigmoid instead",
        "upside_down": "the fraction upside down",
        "wrong_values": "other values",
    },
    hints=[
        "tanh(x) = (e^x - e^-x) / (e^x + e^-x), with `torch.exp`.",
        "`return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))`.",
    ],
    solution_code=code("""
def tanh(x):
    return (torch.exp(x) - torch.exp(-x)) / (torch.exp(x) + torch.exp(-x))


x = torch.linspace(-10, 10, 1001)
print("matches torch.tanh:", torch.allclose(tanh(x), torch.tanh(x), atol=1e-6))
print(f"at -100 and 100: mine {tanh(torch.tensor([-100.0, 100.0]))}, torch.tanh ", end="")
print(torch.tanh(torch.tensor([-100.0, 100.0])))

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(x, torch.tanh(x), linewidth=4, alpha=0.4, label="torch.tanh")
ax.plot(x, tanh(x), "--", label="tanh by hand")
ax.set(title="tanh by hand on top of torch.tanh", xlabel="x")
ax.legend()
plt.show()
"""),
)
