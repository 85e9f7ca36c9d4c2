"""Exercise 01, 3 of the workflow set: loss, optimizer and a training loop to the course's target."""

from __future__ import annotations

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.regression_data import TARGET
from ptx.exercises.regression_model import line_of
from ptx.exercises.sets import code


# -- 3. Loss, optimizer, training loop -------------------------------------------------------------
def _judge_3(a: Answer) -> str:
    model = training.module(a.model)
    X_train, y_train = t.tensor(a.X_train, "X_train"), t.tensor(a.y_train, "y_train")
    X_test, y_test = t.tensor(a.X_test, "X_test"), t.tensor(a.y_test, "y_test")
    loss_fn = training.loss_function(a.loss_fn)
    probe = (torch.tensor([[0.2], [1.5], [-0.4]]), torch.tensor([[0.0], [1.0], [0.1]]))
    if not training.behaves_like(loss_fn, nn.L1Loss(), *probe):
        named = type(loss_fn).__name__
        raise Mistake(
            "not_l1",
            f"`loss_fn` ({named}) does not give the mean absolute error: the task asks for "
            "`nn.L1Loss()`"
            + (", while MSE squares the errors" if isinstance(loss_fn, nn.MSELoss) else "")
            + ".",
        )
    training.same_device(model, X_train)
    optimizer = _judge_optimizer(a.optimizer, model)
    out = training.outputs(model, X_train[:5], "your model's forward pass")
    if t.shape(out) != t.shape(y_train[:5]):
        raise Mistake(
            "broadcast",
            f"the model turns `X_train[:5]` into outputs of shape {t.shape(out)}, but "
            f"`y_train[:5]` is {t.shape(y_train[:5])}: `nn.L1Loss` broadcasts "
            "them into a grid, warns `Using a target size ... different to the input size`, and "
            "trains toward the wrong answer. Give X and y the same shape (exercise 1).",
        )
    error = nn.L1Loss()(training.outputs(model, X_test, "your model"), y_test).item()
    if error == error and error < TARGET:
        weight, bias = line_of(model, training.device_of(model), "your model")
        return (
            f"The test loss is {error:.4f} (mean absolute error), under {TARGET}: the model "
            f"learned weight {weight:.4f} and bias {bias:.4f}, against 0.3 and 0.9. L1 at "
            "lr=0.01 creeps: each step moves each parameter by about lr times a number of "
            "size 1 at most, so it takes most of the 300 epochs."
        )
    _why_not_converged(a, model, optimizer, loss_fn, error)


def _judge_optimizer(value: object, model: nn.Module) -> torch.optim.Optimizer:
    optimizer = training.optimizer_of(value, model)
    if not isinstance(optimizer, torch.optim.SGD):
        raise Mistake(
            "not_sgd",
            f"`optimizer` is {type(optimizer).__name__}; the task asks for `torch.optim.SGD`.",
        )
    lr = optimizer.param_groups[0]["lr"]
    if abs(lr - 0.01) > 1e-12:
        raise Mistake("learning_rate", f"the learning rate is {lr:g}; the task sets 0.01.")
    return optimizer


def _why_not_converged(a: Answer, model, optimizer, loss_fn, error: float) -> None:
    """The cause of a test loss above the target, most certain first."""
    X_train, y_train = t.tensor(a.X_train, "X_train"), t.tensor(a.y_train, "y_train")
    if how := training.non_finite(model, X_train, error):
        raise Mistake(
            "diverged",
            f"the model's test loss is {error:.4g}, and {how}: training diverged. At the task's "
            "lr=0.01 an L1 loss cannot blow up, so look for something that multiplies the steps: "
            "a loop that steps many times per epoch, or parameters set by hand.",
        )
    if training.never_trained(model, optimizer):
        raise Mistake(
            "not_trained",
            f"the model has no gradients and a test loss of {error:.3f}: it was never trained. "
            "The loop needs `loss.backward()` and `optimizer.step()` every epoch (and "
            "`optimizer.zero_grad()` before the backward pass).",
        )
    training.never_stepped(optimizer, f"the test loss is still {error:.4f}")
    ratio = training.gradients_accumulated(model, loss_fn, X_train, y_train)
    if ratio > training.ACCUMULATED:
        raise Mistake(
            "no_zero_grad",
            f"the loss stopped going down (test loss {error:.3f}), and the gradients your "
            f"parameters hold are {ratio:.0f} times one epoch's: they have been adding up epoch "
            "after epoch, because `backward()` adds to `.grad`. Call `optimizer.zero_grad()` in "
            "every epoch, before `loss.backward()`.",
        )
    epochs = a.get("epochs")
    raise Mistake(
        "not_converged",
        f"the test loss is {error:.4f}, above {TARGET}"
        + (f" after {epochs} epochs" if isinstance(epochs, int) else "")
        + ". 300 epochs of SGD at lr=0.01 get there: train for the task's 300.",
    )


q3 = Exercise(
    label="3",
    title="loss function, optimizer and training loop",
    names={
        "loss_fn": "`nn.L1Loss()`",
        "optimizer": "`torch.optim.SGD` over the model's parameters, lr 0.01",
        "epochs": "the number of epochs the loop runs (300)",
    },
    uses={
        "model": "exercise 2",
        "X_train": "exercise 1",
        "y_train": "exercise 1",
        "X_test": "exercise 1",
        "y_test": "exercise 1",
    },
    judge=_judge_3,
    mistakes={
        "a_class": "the model class instead of an instance",
        "loss_class": "nn.L1Loss without brackets",
        "not_l1": "another loss, such as MSE",
        "optimizer_class": "the optimizer class, or not an optimizer",
        "other_model": "an optimizer over another model's parameters",
        "not_sgd": "another optimizer",
        "learning_rate": "another learning rate",
        "device_mismatch": "the model and the data on different devices",
        "broadcast": "outputs and targets of different shapes",
        "forward_raises": "a forward pass that raises",
        "forward_hangs": "a forward pass that never ends",
        "returns_none": "forward without return",
        "diverged": "parameters, outputs or a loss of nan or inf",
        "not_trained": "a model never trained",
        "never_stepped": "optimizer.step() missing, or called before backward()",
        "no_zero_grad": "zero_grad missing: the loss stops going down",
        "not_converged": "a test loss still above the target",
    },
    hints=[
        "Each epoch: `model.train()`, forward pass, loss, `optimizer.zero_grad()`, "
        "`loss.backward()`, `optimizer.step()`; every 20 epochs, the test loss under "
        "`torch.inference_mode()`.",
        "The solution's loop is ten lines; `ex.q3.solution()` shows it.",
    ],
    solution_code=code("""
loss_fn = nn.L1Loss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
epochs = 300

for epoch in range(epochs):
    model.train()
    y_pred = model(X_train)
    loss = loss_fn(y_pred, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

    if epoch % 20 == 0:  # test every 20 epochs
        model.eval()
        with torch.inference_mode():
            test_loss = loss_fn(model(X_test), y_test)
        print(f"epoch {epoch:3d} | train loss {loss:.3f} | test loss {test_loss:.3f}")

learned_weight, learned_bias = model.weight.item(), model.bias.item()
print(f"learned weight {learned_weight:.4f} (true {weight}), bias {learned_bias:.4f} (true {bias})")
"""),
)
