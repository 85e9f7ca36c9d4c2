"""What a learner's model, loss function and optimizer do, found out in a check without training
anything: a forward pass (guarded), one fresh gradient on a copy, the objects' own state, and how
often each optimizer stepped (counted from the moment the exercises are imported)."""

from __future__ import annotations

import copy
import math
import weakref
from dataclasses import dataclass

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Mistake
from ptx.exercises.running import call

ACCUMULATED = 3.0  # stored gradients this many times a fresh one's have been adding up
EXPLODED = 1.5  # a training loss this many times a guessing model's: the steps overshoot
HUGE_OUTPUT = 1e3  # logits beyond this come from weights blown up by steps far too large


@dataclass
class Steps:
    """How often an optimizer's `step()` ran, and how many of those steps had gradients to use
    (a step after `zero_grad()` and before `backward()` has none, and changes nothing)."""

    taken: int = 0
    with_gradients: int = 0


_STEPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _count_step(optimizer, args, kwargs) -> None:
    record = _STEPS.setdefault(optimizer, Steps())
    record.taken += 1
    if any(p.grad is not None for p in optimizer_parameters(optimizer)):  # no device sync
        record.with_gradients += 1


def _watch_steps() -> bool:
    try:
        from torch.optim.optimizer import register_optimizer_step_pre_hook

        register_optimizer_step_pre_hook(_count_step)
    except Exception:  # a PyTorch without global step hooks: the checks do without the count
        return False
    return True


WATCHING = _watch_steps()


def steps(optimizer: object) -> Steps | None:
    """What the step counter saw of this optimizer; None when it cannot say (an optimizer made
    before the exercises were imported that never stepped since, or no hooks in this PyTorch)."""
    if not WATCHING or not isinstance(optimizer, torch.optim.Optimizer):
        return None
    return _STEPS.get(optimizer, Steps())


def module(value: object, name: str = "model") -> nn.Module:
    """`value` if it is a model instance, else a Mistake (the class itself, or something else)."""
    if isinstance(value, nn.Module):
        return value
    if isinstance(value, type) and issubclass(value, nn.Module):
        raise Mistake(
            "a_class",
            f"`{name}` is the class `{value.__name__}`, not a model: make one by calling it, "
            f"`{name} = {value.__name__}()`.",
        )
    raise Mistake("not_a_model", f"`{name}` is {t.describe(value)}, not an `nn.Module`.")


def device_of(model: nn.Module) -> torch.device | None:
    tensors = [*model.parameters(), *model.buffers()]
    return tensors[0].device if tensors else None


def same_device(model: nn.Module, X: torch.Tensor, name: str = "X_train") -> None:
    """A Mistake when the model's parameters and the data live on different devices."""
    where = device_of(model)
    if where is not None and where != X.device:
        raise Mistake(
            "device_mismatch",
            f"the model's parameters are on {where} and `{name}` is on {X.device}: a forward pass "
            "would raise (`Expected all tensors to be on the same device`). Put both on one "
            f"device: `model.to(device)` and `{name} = {name}.to(device)`.",
        )


def outputs(model: nn.Module, X: torch.Tensor, what: str) -> torch.Tensor:
    """The model's output for X in evaluation mode without autograd, its mode restored after;
    a Mistake when the forward pass raises, hangs or returns something that is not a tensor."""
    training = model.training

    def forward():
        model.eval()
        with torch.inference_mode():
            return model(X)

    try:
        out, _ = call(forward, what=what, raises="forward_raises", hangs="forward_hangs")
    finally:
        model.train(training)
    if out is None:
        raise Mistake(
            "returns_none",
            f"{what} returned None: does `forward()` end with `return`?",
        )
    return t.tensor(out, "the model's output", code="returns_none")


def fresh_gradient_norm(model: nn.Module, loss_fn, X: torch.Tensor, y: torch.Tensor) -> float:
    """The norm of one full-batch gradient at the model's current parameters, on a copy."""
    twin = copy.deepcopy(model)
    twin.train()
    twin.zero_grad(set_to_none=True)
    loss, _ = call(
        lambda: loss_fn(twin(X), y),
        what="the loss of your model",
        raises="forward_raises",
        hangs="forward_hangs",
    )
    loss.backward()
    grads = [p.grad.flatten() for p in twin.parameters() if p.grad is not None]
    return torch.cat(grads).norm().item() if grads else 0.0


def stored_gradient_norm(model: nn.Module) -> float | None:
    """The norm of the gradients the parameters hold now (None when none holds one)."""
    grads = [p.grad.flatten() for p in model.parameters() if p.grad is not None]
    return torch.cat(grads).norm().item() if grads else None


def gradients_accumulated(model: nn.Module, loss_fn, X: torch.Tensor, y: torch.Tensor) -> float:
    """How many times larger the stored gradients are than one fresh full-batch gradient (0 when
    none are stored). Without `optimizer.zero_grad()` the stored ones are the sum of every
    epoch's, far larger than one."""
    stored = stored_gradient_norm(model)
    if not stored:
        return 0.0
    fresh = fresh_gradient_norm(model, loss_fn, X, y)
    return stored / max(fresh, 1e-8)


def optimizer_parameters(optimizer: torch.optim.Optimizer) -> list[torch.Tensor]:
    return [p for group in optimizer.param_groups for p in group["params"]]


def optimizer_of(value: object, model: nn.Module) -> torch.optim.Optimizer:
    """`value` as an optimizer over `model`'s parameters, or the Mistake."""
    if isinstance(value, type) and issubclass(value, torch.optim.Optimizer):
        raise Mistake(
            "optimizer_class",
            f"`optimizer` is the class `{value.__name__}`, not an optimizer: make one over the "
            f"model's parameters, `torch.optim.{value.__name__}(model.parameters(), lr=...)`.",
        )
    if not isinstance(value, torch.optim.Optimizer):
        raise Mistake(
            "optimizer_class", f"`optimizer` is {t.describe(value)}, not a torch.optim optimizer."
        )
    mine = {id(p) for p in model.parameters()}
    theirs = {id(p) for p in optimizer_parameters(value)}
    if not mine & theirs:
        raise Mistake(
            "other_model",
            "`optimizer` holds the parameters of another model, not of `model`: was the model "
            "made again after the optimizer? Each `step()` then changes a model you no longer "
            "use. Make the optimizer after the model: `torch.optim.SGD(model.parameters(), ...)`.",
        )
    if mine - theirs:
        raise Mistake(
            "other_model",
            f"`optimizer` holds {len(theirs & mine)} of the model's {len(mine)} parameters: give "
            "it all of them, `model.parameters()`.",
        )
    return value


def loss_function(value: object):
    """`value` as a callable loss, or the Mistake (most often the class where an instance goes)."""
    if isinstance(value, type) and issubclass(value, nn.Module):
        raise Mistake(
            "loss_class",
            f"`loss_fn` is the class `{value.__name__}`, not a loss function: add the brackets, "
            f"`loss_fn = nn.{value.__name__}()`.",
        )
    if not callable(value):
        raise Mistake("loss_class", f"`loss_fn` is {t.describe(value)}, not a loss function.")
    return value


def behaves_like(loss_fn, reference, inputs: torch.Tensor, targets: torch.Tensor) -> bool:
    """Whether the learner's loss gives the reference loss's value (raising counts as no)."""
    try:
        mine, _ = call(
            lambda: loss_fn(inputs, targets),
            what="loss_fn",
            raises="loss_raises",
            hangs="loss_hangs",
        )
    except Mistake:
        return False
    value = t.number(mine)
    return value is not None and abs(value - reference(inputs, targets).item()) < 1e-5


def is_affine(model: nn.Module, X: torch.Tensor, what: str) -> bool:
    """Whether the model is a straight line (plane) in its inputs: f(mix) == mix of f, for mixes
    of random pairs of rows. Stacked Linear layers without an activation are."""
    generator = torch.Generator().manual_seed(0)
    first = X[torch.randint(len(X), (64,), generator=generator)]
    second = X[torch.randint(len(X), (64,), generator=generator)]
    weight = torch.rand(64, 1, generator=generator).to(X.device)
    mixed = outputs(model, weight * first + (1 - weight) * second, what)
    ends = weight * outputs(model, first, what) + (1 - weight) * outputs(model, second, what)
    scale = ends.abs().max().item() + 1e-6
    return torch.allclose(mixed, ends, atol=1e-4 * scale, rtol=1e-4)


def mode_dependent(model: nn.Module) -> list[str]:
    """The kinds of layers that act differently in training and evaluation mode (dropout, batch
    norm), by name; [] for a model whose output does not depend on `model.eval()`."""
    kinds = (nn.modules.dropout._DropoutNd, nn.modules.batchnorm._BatchNorm)
    return sorted({type(m).__name__ for m in model.modules() if isinstance(m, kinds)})


def learning_rate(optimizer: object) -> float | None:
    try:
        return float(optimizer.param_groups[0]["lr"])
    except Exception:  # not an optimizer, or one without param groups
        return None


def non_finite(model: nn.Module, X: torch.Tensor, loss: float | None) -> str:
    """How a model shows nan or inf, in words ("" when it does not): in its parameters, its
    outputs or its loss."""
    if not all(bool(torch.isfinite(p).all()) for p in model.parameters()):
        return "its parameters hold nan or inf"
    if not bool(torch.isfinite(outputs(model, X, "your model")).all()):
        return "its outputs are nan or inf"
    if loss is not None and not math.isfinite(loss):
        return f"its training loss is {loss}"
    return ""


def overshot(model: nn.Module, X: torch.Tensor, loss: float | None, chance: float) -> str:
    """How a model shows that steps far too large threw it off, in words ("" when it does not):
    a loss far above a guessing model's (`chance`), outputs blown up to huge numbers, or the same
    output for every point after training (units pushed dead)."""
    if loss is not None and loss > EXPLODED * chance:
        return (
            f"its training loss is {loss:.4g}, far above the {chance:.3f} of a model that only "
            "guesses: the steps made it worse"
        )
    out = outputs(model, X, "your model").float()
    if (largest := out.abs().max().item()) > HUGE_OUTPUT:
        return (
            f"its outputs reach {largest:.3g}: weights that large come from steps far too big, "
            "and outputs that large saturate the loss, whose gradients then vanish"
        )
    flat = out.reshape(len(out), -1)
    trained = any(p.grad is not None for p in model.parameters())
    if trained and len(flat) > 1 and bool((flat.std(dim=0) < 1e-6).all()):
        return (
            "it gives every point the same output: a step so large that it pushed the ReLUs' "
            "inputs below zero for every point, where they pass nothing and learn nothing"
        )
    return ""


def never_trained(model: nn.Module, optimizer: object) -> bool:
    """The model holds no gradients and its optimizer never stepped (or cannot say). A model
    whose steps ran, and whose gradients were cleared since (`zero_grad()` after `step()`, or
    between `backward()` and `step()`), is `never_stepped`'s to judge."""
    if any(p.grad is not None for p in model.parameters()):
        return False
    record = steps(optimizer)
    return record is None or record.taken == 0


def never_stepped(optimizer: object, context: str) -> None:
    """A Mistake when the optimizer's steps never changed the parameters: `step()` never ran, or
    ran only where it had no gradients (after `zero_grad()`, before `backward()`)."""
    record = steps(optimizer)
    if record is None:
        return
    if record.taken == 0:
        raise Mistake(
            "never_stepped",
            f"{context}, and `optimizer.step()` never ran: the parameters are still the random "
            "ones the model started with, however the loss was computed. Call "
            "`optimizer.step()` in every epoch, after `loss.backward()`.",
        )
    if record.with_gradients == 0:
        raise Mistake(
            "never_stepped",
            f"{context}: `optimizer.step()` ran {record.taken} times, but always where there were "
            "no gradients (after `optimizer.zero_grad()`, before `loss.backward()`), so each step "
            "had nothing to go by and the parameters never changed. The order in each epoch is "
            "`optimizer.zero_grad()`, `loss.backward()`, `optimizer.step()`.",
        )
