"""Tests for ptx/__init__.py: the contract's names are re-exported with the contract's signatures."""

import dataclasses
import inspect

import pytest

import ptx

# The public API the chapters were written against, as stubs: names, order and defaults must match.
CONTRACT = """
def get_device(name=None): ...
def available_devices(): ...
def set_seed(seed): ...
def make_line(weight=0.3, bias=0.9, start=0.0, end=1.0, step=0.01): ...
def split_train_test(X, y, train_fraction=0.8, shuffle=False, seed=None): ...
def make_moons(n_samples=1000, noise=0.03, seed=42): ...
def make_circles(n_samples=1000, noise=0.03, seed=42): ...
def make_blobs(n_samples=1000, centers=4, cluster_std=1.5, seed=42): ...
def make_spirals(points_per_class=100, classes=3, seed=42): ...
def LinearRegression(): ...
def LinearRegressionLinear(): ...
def Classifier(in_features, out_features, hidden=(10, 10), activation="relu"): ...
def train_step(model, X, y, loss_fn, optimizer): ...
def evaluate(model, X, y, loss_fn, metric=None): ...
def fit(model, X_train, y_train, X_test, y_test, loss_fn, optimizer, epochs, metric=None,
        eval_every=1, batch_size=None, log_every=None, progress=True, seed=None): ...
def accuracy(y_logits, y, num_classes=None): ...
def make_accuracy(y, num_classes=None): ...
def to_numpy(t): ...
def plot_predictions(X_train, y_train, X_test, y_test, predictions=None, ax=None): ...
def plot_decision_boundary(model, X, y, ax=None, resolution=200): ...
def plot_loss_curves(history, ax=None): ...
def plot_metric_curves(history, ax=None): ...
def save_checkpoint(model_or_state_dict, path): ...
def load_checkpoint(model, path, map_location=None): ...
def check_same_shape(y_pred, y, names=("y_pred", "y")): ...
def check_same_device(model_or_tensor, *tensors): ...
def check_features(X): ...
"""
STUBS: dict = {}
exec(CONTRACT, STUBS)
STUBS = {name: f for name, f in STUBS.items() if callable(f)}


def _params(f) -> list[tuple[str, object, object]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(f).parameters.values()]


@pytest.mark.parametrize("name", sorted(STUBS))
def test_built_signature_keeps_the_contract(name):
    built, promised = _params(getattr(ptx, name)), _params(STUBS[name])
    assert built[: len(promised)] == promised
    for param_name, kind, default in built[len(promised) :]:  # additions must be optional
        assert default is not inspect.Parameter.empty or kind == inspect.Parameter.VAR_POSITIONAL, (
            param_name
        )


def test_submodules_are_reachable_and_documented():
    modules = [
        "device",
        "seed",
        "data",
        "models",
        "engine",
        "metrics",
        "plotting",
        "checkpoint",
        "checks",
    ]
    for module in modules:
        assert inspect.ismodule(getattr(ptx, module))
        assert getattr(ptx, module).__doc__.strip()
    assert ptx.plotting.to_numpy is ptx.to_numpy
    assert ptx.engine.History is ptx.History and ptx.engine.fit is ptx.fit
    assert ptx.engine.train_step is ptx.train_step and ptx.engine.evaluate is ptx.evaluate
    assert issubclass(ptx.CheckpointMismatchError, ValueError)


def test_history_fields():
    fields = [f.name for f in dataclasses.fields(ptx.History)]
    expected = ["epochs", "train_loss", "test_loss", "train_metric", "test_metric"]
    assert fields[:8] == [*expected, "best_epoch", "best_score", "best_state"]
    assert callable(ptx.History.load_best)


def test_every_public_name_is_exported_and_documented():
    assert set(STUBS) <= set(ptx.__all__)
    for name in ptx.__all__:
        assert getattr(ptx, name).__doc__.strip(), name
