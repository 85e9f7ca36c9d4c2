"""Exercise 01, 1 of the workflow set: a straight-line data set, split 80/20."""

from __future__ import annotations

import torch

from ptx.exercises import tensors as t
from ptx.exercises.feedback import Answer, Exercise, Mistake
from ptx.exercises.sets import code

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
    X = data["X"]
    weight, bias = _judge_line(X, data["y"])
    n_train, n_test = _judge_split(data, weight, bias)
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


def _judge_line(X: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """The (weight, bias) of the data's line, the task's, or the mistake."""
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
    return weight, bias


def _judge_split(data: dict, weight: float, bias: float) -> tuple[int, int]:
    """The sizes of an 80/20 split of the line that keeps each target with its input, or the
    mistake."""
    X = data["X"]
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
    return n_train, n_test


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
