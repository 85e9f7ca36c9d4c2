"""Tests for ptx.engine.fit: History contents, progress lines, best weights, batches, repeatability."""

import re

import pytest
import torch
from torch import nn

import ptx.engine
from ptx.data import make_moons, split_train_test
from ptx.engine import History, fit
from ptx.models import Classifier, LinearRegression
from ptx.seed import set_seed


@pytest.fixture
def moons():
    X, y = make_moons(n_samples=40, noise=0.1, seed=0)
    return split_train_test(X, y, train_fraction=0.75, shuffle=True, seed=0)


def _fit(data, epochs=6, model=None, **kwargs):
    X_train, X_test, y_train, y_test = data
    model = model if model is not None else Classifier(2, 1, hidden=(8,))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    kwargs.setdefault("progress", False)
    history = fit(
        model, X_train, y_train, X_test, y_test, nn.BCEWithLogitsLoss(), optimizer, epochs, **kwargs
    )
    return model, history


def test_history_has_one_entry_per_epoch(moons):
    _, history = _fit(moons, epochs=5, metric="accuracy")
    assert isinstance(history, History)
    assert history.epochs == [1, 2, 3, 4, 5]
    for values in (
        history.train_loss,
        history.test_loss,
        history.train_metric,
        history.test_metric,
    ):
        assert len(values) == 5 and all(isinstance(v, float) for v in values)
    assert all(0 <= v <= 1 for v in history.test_metric)
    assert history.metric_name == "acc"


def test_eval_every_records_those_epochs_and_the_last(moons):
    _, history = _fit(moons, epochs=10, eval_every=3)
    assert history.epochs == [3, 6, 9, 10]
    assert history.train_metric == [None] * 4


def test_best_weights_are_lowest_test_loss_and_a_real_copy(moons):
    X_train, X_test, y_train, y_test = moons
    set_seed(0)
    model, history = _fit(moons, epochs=8)
    best = min(range(len(history.epochs)), key=history.test_loss.__getitem__)
    assert history.best_epoch == history.epochs[best]
    assert history.best_score == history.test_loss[best]
    frozen = {k: v.clone() for k, v in history.best_state.items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    fit(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        nn.BCEWithLogitsLoss(),
        optimizer,
        5,
        progress=False,
    )
    assert all(torch.equal(frozen[k], v) for k, v in history.best_state.items())
    assert not torch.equal(model.layers[0].weight, history.best_state["layers.0.weight"])
    history.load_best(model)
    loss, _ = ptx.engine.evaluate(model, X_test, y_test, nn.BCEWithLogitsLoss())
    assert loss == pytest.approx(history.best_score)


@pytest.mark.parametrize("batch_size", [None, 7])
def test_same_seed_gives_identical_curves(moons, batch_size):
    runs = []
    for _ in range(2):
        set_seed(3)
        _, history = _fit(moons, epochs=5, metric="accuracy", batch_size=batch_size)
        runs.append(
            (history.train_loss, history.test_loss, history.train_metric, history.test_metric)
        )
    assert runs[0] == runs[1]
    set_seed(4)
    _, other = _fit(moons, epochs=5, batch_size=batch_size)
    assert other.train_loss != runs[0][0]


def test_batch_size_takes_one_step_per_batch_and_few_item_calls(moons, monkeypatch):
    _X_train = moons[0]
    assert len(_X_train) == 30
    model = Classifier(2, 1, hidden=(4,))
    steps = []
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    optimizer.register_step_post_hook(lambda *args: steps.append(1))
    calls = []
    original = torch.Tensor.item
    monkeypatch.setattr(torch.Tensor, "item", lambda t: calls.append(1) or original(t))
    X_train, X_test, y_train, y_test = moons
    fit(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        nn.BCEWithLogitsLoss(),
        optimizer,
        4,
        batch_size=4,
        eval_every=4,
        progress=False,
    )
    assert len(steps) == 4 * 8  # ceil(30 / 4) = 8 batches per epoch
    assert len(calls) <= 3  # the shuffle seed, one train loss, one test loss: not one per step
    steps.clear()
    fit(
        model,
        X_train,
        y_train,
        X_test,
        y_test,
        nn.BCEWithLogitsLoss(),
        optimizer,
        3,
        progress=False,
    )
    assert len(steps) == 3  # full batch


def test_batch_train_loss_is_the_mean_over_the_epoch(moons):
    X_train, X_test, y_train, y_test = moons
    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.0)  # no change: every batch sees one model
    Xs, ys = X_train[:, :1], y_train
    history = fit(
        model,
        Xs,
        ys,
        X_test[:, :1],
        y_test,
        nn.MSELoss(),
        optimizer,
        1,
        batch_size=8,
        progress=False,
    )
    with torch.no_grad():
        expected = nn.MSELoss()(model(Xs), ys).item()
    assert history.train_loss[0] == pytest.approx(expected, rel=1e-5)


def test_progress_lines(moons, capsys):
    _fit(moons, epochs=10, metric="accuracy", log_every=5, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    pattern = (
        r"epoch +{} \| train loss \d+\.\d{{4}} \| test loss \d+\.\d{{4}} \| test acc [01]\.\d{{4}}"
    )
    assert re.fullmatch(pattern.format(5), lines[0])
    assert re.fullmatch(pattern.format(10), lines[1])


def test_default_progress_prints_about_ten_lines_and_can_be_off(moons, capsys):
    _fit(moons, epochs=20, progress=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("|")[0] for line in lines] == [f"epoch {e:>2} " for e in range(2, 21, 2)]
    _fit(moons, epochs=20, progress=False)
    assert capsys.readouterr().out == ""


def test_custom_metric_is_recorded_under_its_name(moons):
    def half(y_logits, y):
        return 0.5

    _, history = _fit(moons, epochs=2, metric=half)
    assert history.test_metric == [0.5, 0.5] and history.train_metric == [0.5, 0.5]
    assert history.metric_name == "half"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"epochs": 0}, ValueError, "epochs must be a positive int, got 0"),
        ({"epochs": -3}, ValueError, "epochs must be a positive int, got -3"),
        ({"epochs": 2.0}, TypeError, "epochs must be an int, got float"),
        ({"eval_every": 0}, ValueError, "eval_every must be a positive int"),
        ({"batch_size": 0}, ValueError, "batch_size must be a positive int"),
        (
            {"log_every": 3, "eval_every": 2},
            ValueError,
            "log_every=3 must be a multiple of eval_every=2",
        ),
        ({"metric": "precision"}, ValueError, "metric must be None, 'accuracy'"),
    ],
)
def test_fit_bad_settings(moons, kwargs, error, message):
    with pytest.raises(error, match=message):
        _fit(moons, **kwargs)


def test_fit_bad_data(moons):
    X_train, X_test, y_train, y_test = moons
    model = Classifier(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    bce = nn.BCEWithLogitsLoss()
    with pytest.raises(
        TypeError, match=r"y_train has dtype torch.int64, but BCEWithLogitsLoss .*y_train.float\(\)"
    ):
        fit(model, X_train, y_train.long(), X_test, y_test, bce, optimizer, 1)
    with pytest.raises(TypeError, match="y_train has dtype torch.float32, but CrossEntropyLoss"):
        fit(model, X_train, y_train.squeeze(1), X_test, y_test, nn.CrossEntropyLoss(), optimizer, 1)
    with pytest.raises(ValueError, match=r"X_train is empty \(shape \(0, 2\)\)"):
        fit(model, X_train[:0], y_train[:0], X_test, y_test, bce, optimizer, 1)
    with pytest.raises(ValueError, match=r"X_test has shape \(10, 3\), expected 2 feature columns"):
        fit(model, X_train, y_train, torch.zeros(10, 3), y_test[:10], bce, optimizer, 1)
    with pytest.raises(
        ValueError, match=r"X_train has shape \(30, 3\), which does not fit the model"
    ):
        fit(model, torch.zeros(30, 3), y_train, torch.zeros(10, 3), y_test, bce, optimizer, 1)
    with pytest.raises(
        ValueError,
        match=r"y_pred has shape \(30, 1\) but y_train has shape \(30,\).*y_train.unsqueeze\(1\)",
    ):
        fit(model, X_train, y_train.squeeze(1), X_test, y_test.squeeze(1), bce, optimizer, 1)
    with pytest.raises(ValueError, match="model is on meta, X_train is on cpu, y_train is on cpu"):
        fit(model.to("meta"), X_train, y_train, X_test, y_test, bce, optimizer, 1)
