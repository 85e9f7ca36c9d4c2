"""The checks of Exercises 01, the PyTorch workflow on linear regression: the course's five
exercises (`q1` ... `q5`).

    from ptx.exercises import workflow as ex
    ex.q3.check()
"""

from __future__ import annotations

import copy
from pathlib import Path

import torch
from torch import nn

from ptx.exercises import tensors as t
from ptx.exercises import training
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code, unknown_exercise

__getattr__ = unknown_exercise(__name__)

WEIGHT, BIAS = 0.3, 0.9
TARGET = 0.01  # the test set's mean absolute error the trained model must reach


# -- 1. A straight-line data set -------------------------------------------------------------------
def _line(X: torch.Tensor, y: torch.Tensor) -> tuple[float, float] | None:
    """(weight, bias) when y is exactly a straight line in X, else None."""
    x, target = X.detach().cpu().double().flatten(), y.detach().cpu().double().flatten()
    if len(x) < 2 or x.std() == 0:
        return None
    weight = ((x - x.mean()) * (target - target.mean())).sum() / ((x - x.mean()) ** 2).sum()
    bias = target.mean() - weight * x.mean()
    if (weight * x + bias - target).abs().max() > 1e-4:
        return None
    return weight.item(), bias.item()


def _judge_1(a: Answer) -> str:
    data = {n: t.tensor(a.get(n), n) for n in ("X", "y", "X_train", "y_train", "X_test", "y_test")}
    X, y = data["X"], data["y"]
    if not X.is_floating_point():
        raise Mistake(
            "integers",
            f"`X` holds {X.dtype} integers (`torch.arange(0, 100)` makes those): the model's "
            "float32 parameters need floats. `torch.arange(0, 1, 0.01)` gives 100 of them.",
        )
    if len(X) < 100:
        raise Mistake("too_few", f"`X` has {len(X)} points; the task asks for at least 100.")
    if t.shape(X) != t.shape(y):
        raise Mistake(
            "shapes_differ",
            f"`X` has shape {t.shape(X)} and `y` {t.shape(y)}. A loss given predictions shaped like "
            "`X` and targets shaped like `y` would broadcast them into an (N, N) grid, warn "
            "`Using a target size ... different to the input size`, and train toward the wrong "
            "answer. Make y from X, `y = weight * X + bias`, so they share a shape.",
        )
    line = _line(X, y)
    if line is None:
        raise Mistake(
            "not_a_line",
            "`y` is not a straight line in `X`: the task makes it with the formula, "
            "`y = weight * X + bias` (no noise).",
        )
    weight, bias = line
    if abs(weight - BIAS) < 1e-4 and abs(bias - WEIGHT) < 1e-4:
        raise Mistake(
            "swapped",
            "`y` is 0.9 * X + 0.3: weight and bias are swapped. The task sets weight = 0.3 and "
            "bias = 0.9.",
        )
    if abs(weight - WEIGHT) > 1e-4 or abs(bias - BIAS) > 1e-4:
        raise Mistake(
            "other_line",
            f"`y` is {weight:.2f} * X + {bias:.2f}; the exercise sets weight = 0.3 and bias = 0.9 "
            "(0.7 and 0.3 are the chapter's own line).",
        )
    n_train, n_test = len(data["X_train"]), len(data["X_test"])
    if n_train + n_test != len(X) or n_train != len(data["y_train"]):
        raise Mistake(
            "split_sizes",
            f"`X_train` has {n_train} points, `y_train` {len(data['y_train'])} and `X_test` "
            f"{n_test}, but `X` has {len(X)}: split X and y at one index, "
            "`X_train, y_train = X[:n_train], y[:n_train]`.",
        )
    if n_train < n_test:
        raise Mistake(
            "split_swapped",
            f"the training set has {n_train} points and the test set {n_test}: the other way "
            "round. Training gets 80 %: `n_train = int(0.8 * len(X))`.",
        )
    if abs(n_train - 0.8 * len(X)) > 1:
        raise Mistake(
            "split_ratio",
            f"the training set has {n_train} of {len(X)} points, not 80 %: "
            "`n_train = int(0.8 * len(X))`.",
        )
    train_x = set(data["X_train"].flatten().tolist())
    if train_x & set(data["X_test"].flatten().tolist()):
        raise Mistake(
            "overlap",
            "some points are in both the training and the test set: the test set must be data "
            "the model never trains on. Split at one index: `X[:n_train]` and `X[n_train:]`.",
        )
    pairs = ((data["X_train"], data["y_train"]), (data["X_test"], data["y_test"]))
    if any(
        t.shape(xs) != t.shape(ys)
        or not torch.allclose(ys.cpu().double(), weight * xs.cpu().double() + bias, atol=1e-4)
        for xs, ys in pairs
    ):
        raise Mistake(
            "misaligned",
            "`y_train` is not `y` at the points of `X_train` (or `y_test` at those of `X_test`): "
            "split X and y at the same index, so each target stays with its input.",
        )
    shuffled = not torch.equal(data["X_train"].cpu(), X[:n_train].cpu())
    return (
        f"{len(X)} points on y = 0.3x + 0.9: {n_train} to train on, {n_test} to test"
        + (" (a shuffled split: fine; the course takes the first 80)" if shuffled else "")
        + (
            ". `X` is 1-D: fine for a model of two `nn.Parameter`s; `nn.Linear` would want "
            "(N, 1), `X.unsqueeze(1)`."
            if X.ndim == 1
            else f", shaped {t.shape(X)} as `nn.Linear` wants. The plot is yours to look at."
        )
    )


q1 = Exercise(
    label="1",
    title="a straight-line data set",
    names={
        "X": "at least 100 inputs, for example `torch.arange(0, 1, 0.01).unsqueeze(1)`",
        "y": "`weight * X + bias` with weight 0.3 and bias 0.9",
        "X_train": "the first 80 % of X",
        "y_train": "the first 80 % of y",
        "X_test": "the other 20 % of X",
        "y_test": "the other 20 % of y",
    },
    judge=_judge_1,
    mistakes={
        "not_a_tensor": "a NumPy array or list",
        "integers": "integer inputs",
        "too_few": "fewer than 100 points",
        "shapes_differ": "X (N, 1) and y (N,): the broadcasting trap",
        "not_a_line": "y not on a straight line",
        "swapped": "weight and bias swapped",
        "other_line": "another weight and bias",
        "split_sizes": "train and test that do not add up to X",
        "split_swapped": "20 % to train, 80 % to test",
        "split_ratio": "another split than 80/20",
        "overlap": "points in both sets",
        "misaligned": "targets split apart from their inputs",
    },
    hints=[
        "`X = torch.arange(0, 1, 0.01).unsqueeze(1)` gives 100 points; y follows from the formula; "
        "the split is one index, `n_train = int(0.8 * len(X))`.",
        "`X_train, y_train = X[:n_train], y[:n_train]` and `X_test, y_test = X[n_train:], "
        "y[n_train:]`.",
    ],
    solution_code=code("""
import matplotlib.pyplot as plt

weight, bias = 0.3, 0.9
X = torch.arange(0, 1, 0.01).unsqueeze(1)  # 100 rows of one feature: (100, 1)
y = weight * X + bias

n_train = int(0.8 * len(X))  # the first 80 points train, the last 20 test: no shuffling
X_train, y_train = X[:n_train].to(device), y[:n_train].to(device)
X_test, y_test = X[n_train:].to(device), y[n_train:].to(device)
print(f"X_train {tuple(X_train.shape)}, y_train {tuple(y_train.shape)}")
print(f"X_test {tuple(X_test.shape)}, y_test {tuple(y_test.shape)}")

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test)
ax.set_title("Training and test data on y = 0.3x + 0.9")
plt.show()
"""),
)


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
    device = training.device_of(model)
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
    optimizer = training.optimizer_of(a.optimizer, model)
    if not isinstance(optimizer, torch.optim.SGD):
        raise Mistake(
            "not_sgd",
            f"`optimizer` is {type(optimizer).__name__}; the task asks for `torch.optim.SGD`.",
        )
    lr = optimizer.param_groups[0]["lr"]
    if abs(lr - 0.01) > 1e-12:
        raise Mistake("learning_rate", f"the learning rate is {lr:g}; the task sets 0.01.")
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
    epochs = a.get("epochs")
    if error == error and error < TARGET:
        weight, bias = line_of(model, training.device_of(model), "your model")
        return (
            f"The test loss is {error:.4f} (mean absolute error), under {TARGET}: the model "
            f"learned weight {weight:.4f} and bias {bias:.4f}, against 0.3 and 0.9. L1 at "
            "lr=0.01 creeps: each step moves each parameter by about lr times a number of "
            "size 1 at most, so it takes most of the 300 epochs."
        )
    if error != error:
        raise Mistake(
            "diverged",
            "the model's test loss is nan: its parameters blew up. Check the learning rate "
            "(0.01) and that the loop steps once per epoch.",
        )
    if training.stored_gradient_norm(model) is None and all(
        p.grad is None for p in model.parameters()
    ):
        raise Mistake(
            "not_trained",
            f"the model has no gradients and a test loss of {error:.3f}: it was never trained. "
            "The loop needs `loss.backward()` and `optimizer.step()` every epoch (and "
            "`optimizer.zero_grad()` before the backward pass).",
        )
    ratio = training.gradients_accumulated(model, loss_fn, X_train, y_train)
    if ratio > training.ACCUMULATED:
        raise Mistake(
            "no_zero_grad",
            f"the loss stopped going down (test loss {error:.3f}), and the gradients your "
            f"parameters hold are {ratio:.0f} times one epoch's: they have been adding up epoch "
            "after epoch, because `backward()` adds to `.grad`. Call `optimizer.zero_grad()` in "
            "every epoch, before `loss.backward()`.",
        )
    raise Mistake(
        "not_converged",
        f"the test loss is {error:.4f}, above {TARGET}"
        + (f" after {epochs} epochs" if isinstance(epochs, int) else "")
        + ". 300 epochs of SGD at lr=0.01 get there; if the loss does not move at all, look "
        "for a missing `optimizer.step()`.",
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
        "diverged": "a loss that blew up to nan",
        "not_trained": "a model never trained",
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


# -- 4. Predictions --------------------------------------------------------------------------------
def _judge_4(a: Answer) -> str:
    model = training.module(a.model)
    X_test = t.tensor(a.X_test, "X_test")
    y_preds = t.tensor(a.y_preds, "y_preds")
    if len(y_preds) != len(X_test):
        raise Mistake(
            "other_data",
            f"`y_preds` has {len(y_preds)} rows and `X_test` {len(X_test)}: predict the test "
            "data, `model(X_test)`.",
        )
    if y_preds.requires_grad:
        raise Mistake(
            "tracks_gradients",
            "`y_preds` still has `requires_grad=True`: it was made outside "
            "`torch.inference_mode()`, and matplotlib's `.numpy()` would raise `Can't call "
            "numpy() on Tensor that requires grad`. Predict inside `with torch.inference_mode():` "
            "(after `model.eval()`).",
        )
    expected = training.outputs(model, X_test, "your model")
    if not t.close(y_preds.reshape(expected.shape), expected, atol=1e-5):
        raise Mistake(
            "not_this_model",
            "`y_preds` is not what `model` predicts for `X_test` now: was it made by another "
            "model, or before training? Predict again with the trained model.",
        )
    return (
        f"{len(y_preds)} predictions from the trained model, on {y_preds.device}. matplotlib "
        "needs them on the CPU; `ptx.plot_predictions` moves them itself."
    )


q4 = Exercise(
    label="4",
    title="predictions",
    names={"y_preds": "the trained model's predictions for `X_test`"},
    uses={"model": "exercises 2 and 3", "X_test": "exercise 1"},
    judge=_judge_4,
    mistakes={
        "a_class": "the model class instead of an instance",
        "not_a_tensor": "predictions that are not a tensor",
        "other_data": "predictions of the training data",
        "tracks_gradients": "predictions made outside inference mode",
        "not_this_model": "predictions of another or untrained model",
        "forward_raises": "a forward pass that raises",
    },
    hints=[
        "`model.eval()`, then `with torch.inference_mode(): y_preds = model(X_test)`.",
        "Plot with `ptx.plot_predictions(X_train, y_train, X_test, y_test, predictions=y_preds)`.",
    ],
    solution_code=code("""
model.eval()
with torch.inference_mode():
    y_preds = model(X_test)

ax = ptx.plot_predictions(X_train, y_train, X_test, y_test, predictions=y_preds)
ax.set_title(f"After {epochs} epochs: weight {learned_weight:.4f}, bias {learned_bias:.4f}")
plt.show()
"""),
)


# -- 5. Save, load, compare ------------------------------------------------------------------------
def _judge_5(a: Answer) -> str:
    model = training.module(a.model)
    path = Path(str(a.MODEL_PATH))
    if not path.is_file():
        raise Mistake(
            "no_file",
            f"there is no file at `MODEL_PATH` ({path}): `torch.save(model.state_dict(), "
            "MODEL_PATH)` writes it (its folder must exist: `MODEL_PATH.parent.mkdir(...)`).",
        )
    try:
        saved = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch raises UnpicklingError for a whole model
        raise Mistake(
            "whole_model",
            "the file holds a whole model (`torch.save(model, ...)`), which "
            "`torch.load(..., weights_only=True)` refuses. Save the state_dict: "
            "`torch.save(model.state_dict(), MODEL_PATH)`.",
        ) from None
    if not isinstance(saved, dict) or not all(isinstance(v, torch.Tensor) for v in saved.values()):
        raise Mistake(
            "not_state_dict",
            f"the file holds {t.describe(saved)}, not a state_dict: "
            "`torch.save(model.state_dict(), MODEL_PATH)`.",
        )
    current = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    if saved.keys() != current.keys() or not all(t.close(saved[k], current[k]) for k in saved):
        raise Mistake(
            "stale_file",
            "the saved state_dict is not the trained model's: was it saved before training? "
            "Save again after exercise 3.",
        )
    loaded = a.loaded_model
    if loaded is not None and type(loaded).__name__ == "_IncompatibleKeys":
        raise Mistake(
            "load_result",
            "`loaded_model` is the report `load_state_dict` returns (`<All keys matched "
            "successfully>`), not the model: `load_state_dict` loads in place. Make the model, "
            "then call `loaded_model.load_state_dict(...)` on its own line.",
        )
    loaded = training.module(loaded, "loaded_model")
    if loaded is model:
        raise Mistake(
            "same_object",
            "`loaded_model` is `model` itself, so the comparison proves nothing: make a new "
            "instance of your class and load the file into it.",
        )
    theirs = {k: v.detach().cpu() for k, v in loaded.state_dict().items()}
    if theirs.keys() != saved.keys() or not all(t.close(theirs[k], saved[k]) for k in saved):
        raise Mistake(
            "not_loaded",
            "`loaded_model`'s parameters are not the saved ones: still its random starting "
            "values? `loaded_model.load_state_dict(torch.load(MODEL_PATH, weights_only=True))`.",
        )
    preds = t.tensor(a.loaded_preds, "loaded_preds")
    y_preds = t.tensor(a.y_preds, "y_preds")
    if not t.close(preds.reshape(y_preds.shape), y_preds, atol=0):
        raise Mistake(
            "preds_differ",
            "`loaded_preds` differs from `y_preds`: predict `X_test` with `loaded_model`, in "
            "evaluation mode, under `torch.inference_mode()`.",
        )
    return (
        "The file holds the trained state_dict, a new model loaded it, and its predictions "
        "equal the original's exactly (`torch.equal`)."
    )


q5 = Exercise(
    label="5",
    title="save, load, compare",
    names={
        "MODEL_PATH": "where the state_dict is saved",
        "loaded_model": "a new instance of your model class with the saved state_dict loaded",
        "loaded_preds": "`loaded_model`'s predictions for `X_test`",
    },
    uses={"model": "exercises 2 and 3", "y_preds": "exercise 4"},
    judge=_judge_5,
    mistakes={
        "no_file": "nothing saved at MODEL_PATH",
        "whole_model": "the whole model saved instead of its state_dict",
        "not_state_dict": "something else saved",
        "stale_file": "a state_dict saved before training",
        "load_result": "loaded_model = loaded_model.load_state_dict(...)",
        "a_class": "the class instead of an instance",
        "not_a_model": "loaded_model is not a model",
        "same_object": "loaded_model = model",
        "not_loaded": "a new model without the saved state_dict",
        "not_a_tensor": "predictions that are not a tensor",
        "preds_differ": "predictions that differ from exercise 4's",
    },
    hints=[
        "`torch.save(model.state_dict(), MODEL_PATH)`; a new `LinearRegressionModel()`; "
        "`load_state_dict(torch.load(MODEL_PATH, weights_only=True))`.",
        "Compare with `torch.equal(y_preds, loaded_preds)`.",
    ],
    solution_code=code("""
from pathlib import Path

MODEL_PATH = Path("models") / "01_linear_regression.pt"
MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
torch.save(model.state_dict(), MODEL_PATH)

loaded_model = LinearRegressionModel().to(device)
state_dict = torch.load(MODEL_PATH, map_location=device, weights_only=True)
loaded_model.load_state_dict(state_dict)
loaded_model.eval()
with torch.inference_mode():
    loaded_preds = loaded_model(X_test)
print(loaded_model.state_dict())
print(f"identical predictions: {torch.equal(y_preds, loaded_preds)}")
"""),
)
