"""Tests for ptx/__init__.py: the public top-level API, pinned: names, signatures, History's fields,
the distribution's name, and a docstring for every name that ends with the chapter teaching it."""

import dataclasses
import inspect
import tomllib
from pathlib import Path

import pytest

import ptx

# The public API the chapters are written against, as stubs: names, order and defaults must match.
CONTRACT = """
def get_device(name=None): ...
def make_line(weight=0.3, bias=0.9, start=0.0, end=1.0, step=0.01): ...
def split_train_test(X, y, train_fraction=0.8, shuffle=False, seed=None): ...
def make_moons(n_samples=1000, noise=0.03, seed=42): ...
def make_circles(n_samples=1000, noise=0.03, seed=42, factor=0.8): ...
def make_blobs(n_samples=1000, centers=4, cluster_std=1.5, seed=42): ...
def make_spirals(points_per_class=100, classes=3, seed=42): ...
def LinearRegression(): ...
def LinearRegressionLinear(): ...
def Classifier(in_features, out_features, hidden=(10, 10), activation="relu"): ...
def train_step(model, X, y, loss_fn, optimizer): ...
def evaluate(model, X, y, loss_fn, metric=None): ...
def fit(model, X_train, y_train, X_val, y_val, loss_fn, optimizer, epochs, metric=None,
        eval_every=1, batch_size=None, log_every=None, progress=True, seed=None): ...
def accuracy(y_logits, y, num_classes=None): ...
def to_numpy(t): ...
def plot_predictions(X_train, y_train, X_test, y_test, predictions=None, ax=None): ...
def plot_decision_boundary(model, X, y, ax=None, resolution=200): ...
def save_checkpoint(model_or_state_dict, path): ...
def load_checkpoint(model, path, map_location=None): ...
"""
STUBS: dict = {}
exec(CONTRACT, STUBS)
STUBS = {name: f for name, f in STUBS.items() if callable(f)}

CLASSES = ["CheckpointMismatchError", "Exercise", "History"]
MODULES = [
    "checkpoint",
    "data",
    "device",
    "engine",
    "exercises",
    "history",
    "metrics",
    "models",
    "plotting",
    "seed",
    "steps",
]

# The page that teaches each name: where a page saves it for later (d2l's "Defined in"), else
# the first page whose code uses it. Names no page uses have no such line.
TAUGHT_IN = {
    "Fundamentals (tensors) (fundamentals.md)": ["get_device"],
    "Autograd: how PyTorch computes gradients (autograd.md)": ["to_numpy"],
    "The workflow on linear regression (linear-regression.md)": [
        "make_line",
        "split_train_test",
        "LinearRegression",
        "LinearRegressionLinear",
        "train_step",
        "plot_predictions",
        "save_checkpoint",
        "load_checkpoint",
        "CheckpointMismatchError",
    ],
    "Binary classification (classification/binary.md)": [
        "make_moons",
        "make_circles",
        "Classifier",
        "fit",
        "History",
        "evaluate",
        "plot_decision_boundary",
    ],
    "Multiclass classification (classification/multiclass.md)": ["accuracy", "make_spirals"],
    "Exercises (exercises/fundamentals.md)": ["Exercise"],
    "Going deeper: classification (deeper/classification.md)": ["make_blobs"],
}
NOT_TAUGHT: list[str] = []  # every public name is taught by a page


def _params(f) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(f).parameters.values()]


def test_all_is_exactly_the_public_api():
    assert sorted(ptx.__all__) == sorted([*STUBS, *CLASSES, *MODULES])
    assert len(ptx.__all__) == len(set(ptx.__all__))
    for name in ptx.__all__:
        assert hasattr(ptx, name), name


@pytest.mark.parametrize("name", sorted(STUBS))
def test_signature_is_exactly_the_contract(name):
    assert _params(getattr(ptx, name)) == _params(STUBS[name])


def test_checks_are_internal_but_importable_from_ptx_checks():
    assert not [name for name in dir(ptx) if name.startswith("check_")]
    assert not {"checks", "guards", "forward", "divergence"} & set(ptx.__all__)
    from ptx.checks import check_features, check_same_device, check_same_shape

    assert callable(check_same_shape) and callable(check_same_device) and callable(check_features)


def test_submodules_are_reachable_and_documented():
    for module in [*MODULES, "checks", "guards", "forward", "divergence"]:
        imported = __import__(f"ptx.{module}", fromlist=["_"])
        assert imported.__doc__.strip()
    assert ptx.plotting.to_numpy is ptx.to_numpy
    assert ptx.engine.History is ptx.History and ptx.engine.fit is ptx.fit
    assert ptx.engine.train_step is ptx.train_step and ptx.engine.evaluate is ptx.evaluate
    assert issubclass(ptx.CheckpointMismatchError, ValueError)


def test_history_fields():
    fields = [f.name for f in dataclasses.fields(ptx.History)]
    assert fields == [
        "epochs",
        "train_loss",
        "val_loss",
        "train_metric",
        "val_metric",
        "best_epoch",
        "best_val_loss",
        "best_state",
        "metric_name",
    ]
    assert callable(ptx.History.load_best)


def test_every_public_name_is_documented_with_the_chapter_that_teaches_it():
    taught = {name: chapter for chapter, names in TAUGHT_IN.items() for name in names}
    assert sorted([*taught, *NOT_TAUGHT]) == sorted([*STUBS, *CLASSES])
    for name in [*STUBS, *CLASSES]:
        doc = inspect.getdoc(getattr(ptx, name))
        assert doc and doc.strip(), name
        last = doc.strip().splitlines()[-1]
        if name in taught:
            assert last == f"Taught in: {taught[name]}.", name
        else:
            assert "Taught in" not in doc, name


def test_distribution_name_is_not_the_import_name():
    pyproject = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["name"] == "pytorch-exercises-helpers"
    assert pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["ptx"]
    assert "pytorch-exercises-helpers" in ptx.__doc__
