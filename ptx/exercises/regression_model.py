"""Exercise 01, 2 of the workflow set: a model of two `nn.Parameter`s, a straight line in its input."""

from __future__ import annotations

import copy

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code


# -- 2. A model built from nn.Parameters -----------------------------------------------------------
def line_of(model: nn.Module, device: torch.device | None, what: str) -> tuple[float, float]:
    """The (weight, bias) of a model that is a straight line in one input; a Mistake if not."""
    xs = torch.tensor([[0.0], [0.5], [1.0], [2.0]], device=device)
    out = training.outputs(model, xs, what)
    if out.numel() != 4:
        raise Mistake(
            "output_shape",
            f"{what} turned 4 inputs of shape (4, 1) into an output of shape {t.shape(out)}: one "
            "number per input is what a regression model gives.",
        )
    out = out.flatten().double().cpu()
    bias, weight = out[0].item(), (out[2] - out[0]).item()
    if not torch.allclose(out, weight * xs.flatten().double().cpu() + bias, atol=1e-4):
        raise Mistake(
            "wrong_formula",
            "the model's output is not a straight line in its input: `forward` should compute "
            "the formula of exercise 1, `self.weight * x + self.bias`.",
        )
    return weight, bias


def _judge_2(a: Answer) -> str:
    model = training.module(a.model)
    _judge_parameters(model)
    device = training.device_of(model)
    if device is not None and device.type == "meta":
        raise Mistake(
            "meta_tensor",
            "`model`'s parameters are on the meta device: they have shapes but no numbers "
            "(`.to('meta')` keeps only the shapes), so the model computes nothing. Make it again "
            "on a real device: `model = LinearRegressionModel().to(device)`.",
        )
    weight, bias = line_of(model, device, "your model's forward pass")
    twin = copy.deepcopy(model)
    with torch.no_grad():
        for p in twin.parameters():
            p.add_(1.0)
    if line_of(twin, device, "your model's forward pass") == (weight, bias):
        raise Mistake(
            "hard_coded",
            "the model's output does not change when its parameters do: `forward` uses numbers "
            "of its own instead of `self.weight` and `self.bias`. Training could never move it.",
        )
    start = (
        " With `torch.manual_seed(42)` before making it, these are the course's starting values."
        if abs(weight - 0.3367) < 1e-4 and abs(bias - 0.1288) < 1e-4
        else " (With `torch.manual_seed(42)` right before making it, the course starts from "
        "0.3367 and 0.1288.)"
    )
    return f"A straight line with weight {weight:.4f} and bias {bias:.4f}, both learnable.{start}"


def _judge_parameters(model: nn.Module) -> None:
    """Two numbers to learn, a weight and a bias, that autograd tracks; or the mistake."""
    parameters = list(model.parameters())
    if not parameters:
        tensors = [n for n, v in vars(model).items() if isinstance(v, torch.Tensor)]
        raise Mistake(
            "no_parameters",
            "`model` has no parameters"
            + (f" (`{'`, `'.join(tensors)}` are plain tensors)" if tensors else "")
            + ": `model.parameters()` is empty, so an optimizer would have nothing to train "
            "(`optimizer got an empty parameter list`). Wrap them: "
            "`self.weight = nn.Parameter(torch.randn(1))`.",
        )
    frozen = [n for n, p in model.named_parameters() if not p.requires_grad]
    if frozen:
        raise Mistake(
            "frozen",
            f"`{'`, `'.join(frozen)}` has `requires_grad=False`: no gradient, so no training. "
            "`nn.Parameter` sets `requires_grad=True` unless told otherwise.",
        )
    count = sum(p.numel() for p in parameters)
    if count != 2:
        raise Mistake(
            "parameter_count",
            f"`model` has {count} numbers to learn; a straight line has two, a weight and a bias "
            "(`nn.Parameter(torch.randn(1))` each, or one `nn.Linear(1, 1)`).",
        )


q2 = Exercise(
    label="2",
    title="a model built from nn.Parameters",
    names={"model": "an instance of your `nn.Module` subclass, on `device`"},
    judge=_judge_2,
    mistakes={
        "a_class": "the class instead of an instance",
        "not_a_model": "something that is not an nn.Module",
        "no_parameters": "plain tensors instead of nn.Parameter",
        "frozen": "requires_grad=False",
        "parameter_count": "more than a weight and a bias",
        "forward_raises": "a forward pass that raises",
        "forward_hangs": "a forward pass that never ends",
        "returns_none": "forward without return",
        "output_shape": "not one output per input",
        "wrong_formula": "a forward that is not weight * x + bias",
        "hard_coded": "a forward that ignores the parameters",
    },
    hints=[
        "In `__init__`, after `super().__init__()`: `self.weight = nn.Parameter(torch.randn(1))`, "
        "the same for the bias; `forward(self, x)` returns the formula.",
        "`return self.weight * x + self.bias`; then `model = LinearRegressionModel().to(device)`.",
    ],
    solution_code=code("""
from torch import nn


class LinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(1), requires_grad=True)
        self.bias = nn.Parameter(torch.randn(1), requires_grad=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.weight * x + self.bias


torch.manual_seed(42)
model = LinearRegressionModel().to(device)
print(model.state_dict())
"""),
)
