"""Tests for ptx.engine.fit: History contents, progress lines, best weights on validation data,
batches, repeatability, and the refusals that stop a silently wrong run."""

import inspect
import math
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
    X_train, X_val, y_train, y_val = data
    model = model if model is not None else Classifier(2, 1, hidden=(8,))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    kwargs.setdefault("progress", False)
    history = fit(
        model, X_train, y_train, X_val, y_val, nn.BCEWithLogitsLoss(), optimizer, epochs, **kwargs
    )
    return model, history


def test_history_has_one_entry_per_epoch(moons):
    _, history = _fit(moons, epochs=5, metric="accuracy")
    assert isinstance(history, History)
    assert history.epochs == [1, 2, 3, 4, 5]
    for values in (
        history.train_loss,
        history.val_loss,
        history.train_metric,
        history.val_metric,
    ):
        assert len(values) == 5 and all(isinstance(v, float) for v in values)
    assert all(0 <= v <= 1 for v in history.val_metric)
    assert history.metric_name == "acc"


def test_eval_every_records_those_epochs_and_the_last(moons):
    _, history = _fit(moons, epochs=10, eval_every=3)
    assert history.epochs == [3, 6, 9, 10]
    assert history.train_metric == [None] * 4


def test_best_weights_are_lowest_val_loss_and_a_real_copy(moons):
    X_train, X_val, y_train, y_val = moons
    set_seed(0)
    model, history = _fit(moons, epochs=8)
    best = min(range(len(history.epochs)), key=history.val_loss.__getitem__)
    assert history.best_epoch == history.epochs[best]
    assert history.best_val_loss == history.val_loss[best]
    frozen = {k: v.clone() for k, v in history.best_state.items()}
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    fit(
        model,
        X_train,
        y_train,
        X_val,
        y_val,
        nn.BCEWithLogitsLoss(),
        optimizer,
        5,
        progress=False,
    )
    assert all(torch.equal(frozen[k], v) for k, v in history.best_state.items())
    assert not torch.equal(model.layers[0].weight, history.best_state["layers.0.weight"])
    history.load_best(model)
    loss, _ = ptx.engine.evaluate(model, X_val, y_val, nn.BCEWithLogitsLoss())
    assert loss == pytest.approx(history.best_val_loss)


@pytest.mark.parametrize("batch_size", [None, 7])
def test_same_seed_gives_identical_curves(moons, batch_size):
    runs = []
    for _ in range(2):
        set_seed(3)
        _, history = _fit(moons, epochs=5, metric="accuracy", batch_size=batch_size)
        runs.append(
            (history.train_loss, history.val_loss, history.train_metric, history.val_metric)
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
    X_train, X_val, y_train, y_val = moons
    fit(
        model,
        X_train,
        y_train,
        X_val,
        y_val,
        nn.BCEWithLogitsLoss(),
        optimizer,
        4,
        batch_size=4,
        eval_every=4,
        progress=False,
    )
    assert len(steps) == 4 * 8  # ceil(30 / 4) = 8 batches per epoch
    assert len(calls) <= 3  # the shuffle seed, one train loss, one val loss: not one per step
    steps.clear()
    fit(
        model,
        X_train,
        y_train,
        X_val,
        y_val,
        nn.BCEWithLogitsLoss(),
        optimizer,
        3,
        progress=False,
    )
    assert len(steps) == 3  # full batch


def test_batch_train_loss_is_the_mean_over_the_epoch(moons):
    X_train, X_val, y_train, y_val = moons
    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-12)  # every batch sees the same model
    Xs, ys = X_train[:, :1], y_train
    history = fit(
        model,
        Xs,
        ys,
        X_val[:, :1],
        y_val,
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
        r"epoch +{} \| train loss \d+\.\d{{4}} \| val loss \d+\.\d{{4}}"
        r" \| train acc [01]\.\d{{4}} \| val acc [01]\.\d{{4}}"
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
    assert history.val_metric == [0.5, 0.5] and history.train_metric == [0.5, 0.5]
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
    X_train, X_val, y_train, y_val = moons
    model = Classifier(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    bce = nn.BCEWithLogitsLoss()
    with pytest.raises(
        TypeError, match=r"y_train has dtype torch.int64, but BCEWithLogitsLoss .*y_train.float\(\)"
    ):
        fit(model, X_train, y_train.long(), X_val, y_val, bce, optimizer, 1)
    with pytest.raises(TypeError, match="y_train has dtype torch.float32, but CrossEntropyLoss"):
        fit(model, X_train, y_train.squeeze(1), X_val, y_val, nn.CrossEntropyLoss(), optimizer, 1)
    with pytest.raises(ValueError, match=r"X_train is empty \(shape \(0, 2\)\)"):
        fit(model, X_train[:0], y_train[:0], X_val, y_val, bce, optimizer, 1)
    with pytest.raises(ValueError, match=r"X_val has shape \(10, 3\), expected 2 feature columns"):
        fit(model, X_train, y_train, torch.zeros(10, 3), y_val[:10], bce, optimizer, 1)
    with pytest.raises(
        ValueError, match=r"X_train has shape \(30, 3\), which does not fit the model"
    ):
        fit(model, torch.zeros(30, 3), y_train, torch.zeros(10, 3), y_val, bce, optimizer, 1)
    with pytest.raises(
        ValueError,
        match=r"y_pred has shape \(30, 1\) but y_train has shape \(30,\).*y_train.unsqueeze\(1\)",
    ):
        fit(model, X_train, y_train.squeeze(1), X_val, y_val.squeeze(1), bce, optimizer, 1)
    with pytest.raises(ValueError, match="model is on meta, X_train is on cpu, y_train is on cpu"):
        fit(model.to("meta"), X_train, y_train, X_val, y_val, bce, optimizer, 1)


# --- selection on validation data ---------------------------------------------------------------


def test_fit_takes_validation_data_and_says_why_not_the_test_set(moons):
    params = list(inspect.signature(fit).parameters)
    assert params[:5] == ["model", "X_train", "y_train", "X_val", "y_val"]
    X_train, X_val, y_train, y_val = moons
    model = Classifier(2, 1, hidden=(8,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    history = fit(
        model,
        X_train=X_train,
        y_train=y_train,
        X_val=X_val,
        y_val=y_val,
        loss_fn=nn.BCEWithLogitsLoss(),
        optimizer=optimizer,
        epochs=2,
        progress=False,
    )
    assert len(history.val_loss) == 2 and history.best_val_loss == min(history.val_loss)
    doc = " ".join(fit.__doc__.split())
    assert "used once, at the end" in doc and "optimistic" in doc


def test_progress_line_without_metric(moons, capsys):
    _fit(moons, epochs=10, log_every=10, progress=True)
    (line,) = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"epoch 10 \| train loss \d\.\d{4} \| val loss \d\.\d{4}", line)


def test_accuracy_with_bce_loss_reads_probabilities(moons):
    # nn.BCELoss means the model ends in a sigmoid: its outputs are probabilities, class 1 above 0.5
    X_train, X_val, y_train, y_val = moons
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    history = fit(
        model,
        X_train,
        y_train,
        X_val,
        y_val,
        nn.BCELoss(),
        optimizer,
        5,
        "accuracy",
        progress=False,
    )
    with torch.no_grad():
        y_probs = model(X_val)
    expected = ((y_probs > 0.5).float() == y_val).float().mean().item()
    assert (
        0 < (y_probs > 0.5).float().mean() < 1
    )  # mixed predictions: a threshold at 0 would differ
    assert history.val_metric[-1] == pytest.approx(expected)


# --- refusals: non-finite data, learning rates and losses ---------------------------------------


@pytest.mark.parametrize("position", [0, 1, 2, 3])
def test_fit_refuses_non_finite_data_naming_count_and_row(moons, position):
    data = [t.clone() for t in moons]  # X_train, X_val, y_train, y_val
    names = ["X_train", "X_val", "y_train", "y_val"]
    data[position][3, 0] = float("nan")
    data[position][5, -1] = float("inf")
    name = names[position]
    with pytest.raises(ValueError) as info:
        _fit(data, epochs=1)
    message = str(info.value)
    assert message.startswith(
        f"{name} holds 2 non-finite values (1 NaN, 1 inf), the first in row 3"
    )
    assert f"torch.isfinite({name})" in message


@pytest.mark.parametrize(
    ("lr", "what"),
    [
        (float("nan"), "nan"),
        (float("inf"), "inf"),
        (0.0, "0.0, which never changes the weights"),
        (-0.1, "-0.1, which climbs the loss"),
    ],
)
def test_fit_refuses_a_learning_rate_that_is_not_positive_and_finite(moons, lr, what):
    X_train, X_val, y_train, y_val = moons
    model = Classifier(2, 1, hidden=(4,))
    optimizer = torch.optim.SGD(
        [{"params": model.layers[0].parameters()}, {"params": model.layers[2].parameters()}],
        lr=0.1,
    )
    optimizer.param_groups[1]["lr"] = lr  # as a scheduler or a typo could leave it
    with pytest.raises(ValueError, match=re.escape(f"param group 1 has lr={what}")):
        fit(model, X_train, y_train, X_val, y_val, nn.BCEWithLogitsLoss(), optimizer, 2)


def _diverging_line(lr=1.0):
    """Linear regression on X in [0, 100): SGD with lr=1.0 overflows within a few epochs."""
    X = torch.arange(0, 100, dtype=torch.float32).unsqueeze(1)
    y = 0.3 * X + 0.9
    torch.manual_seed(0)
    model = nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    args = (model, X[::2], y[::2], X[1::2], y[1::2], nn.MSELoss(), optimizer, 30)
    return model, args


def test_training_loss_that_becomes_non_finite_stops_fit_naming_the_epoch():
    model, args = _diverging_line()
    with pytest.raises(FloatingPointError) as info:
        fit(*args, batch_size=25, seed=0, progress=False)
    message = str(info.value)
    epoch = int(re.search(r"training loss became (?:nan|inf) at epoch (\d+)", message)[1])
    history = info.value.history
    assert epoch > 1 and history.epochs == list(
        range(1, epoch)
    )  # the failing epoch is not recorded
    assert all(map(math.isfinite, history.train_loss + history.val_loss))
    last = f"the last finite training loss was {history.train_loss[-1]:.4g} at epoch {epoch - 1}"
    assert last in message
    assert "learning rate may be too large (lr=1.0)" in message
    assert "error.history" in message
    best = history.load_best(model)
    assert all(torch.isfinite(p).all() for p in best.parameters())


def test_first_epoch_non_finite_has_no_history_to_offer():
    _, args = _diverging_line(lr=1e30)
    with pytest.raises(FloatingPointError, match="at epoch 1") as info:
        fit(*args, batch_size=10, seed=0, progress=False)
    assert info.value.history.epochs == []
    assert "no epoch was recorded" in str(info.value)


def test_validation_loss_that_becomes_non_finite_stops_fit():
    _, args = _diverging_line()
    with pytest.raises(
        FloatingPointError, match=r"validation loss became inf at epoch \d+"
    ) as info:
        fit(*args, progress=False)
    assert "learning rate may be too large" in str(info.value)
    assert not any(map(math.isinf, info.value.history.val_loss))


# --- refusals: optimizer, targets, outputs ------------------------------------------------------


def test_fit_refuses_optimizer_built_for_another_model(moons):
    X_train, X_val, y_train, y_val = moons
    old_model = Classifier(2, 1)
    optimizer = torch.optim.Adam(old_model.parameters(), lr=0.01)
    model = Classifier(2, 1)  # rebuilt after the optimizer: the optimizer still holds the old one
    with pytest.raises(ValueError) as info:
        fit(model, X_train, y_train, X_val, y_val, nn.BCEWithLogitsLoss(), optimizer, 2)
    message = str(info.value)
    assert "optimizer holds none of the model's trainable parameters" in message
    assert "optimizer = torch.optim.Adam(model.parameters(), lr=...)" in message
    assert "build the optimizer after the final model" in message


def test_fit_refuses_optimizer_with_tensors_outside_the_model(moons):
    X_train, X_val, y_train, y_val = moons
    model = Classifier(2, 1, hidden=(4,))
    stray = nn.Parameter(torch.zeros(3, 5))
    optimizer = torch.optim.SGD([*model.parameters(), stray], lr=0.1)
    with pytest.raises(
        ValueError,
        match=r"optimizer holds 1 tensor that is not a parameter of the model \(shape \(3, 5\)\)",
    ):
        fit(model, X_train, y_train, X_val, y_val, nn.BCEWithLogitsLoss(), optimizer, 2)


def test_fit_refuses_bce_targets_outside_zero_one(moons):
    X_train, X_val, y_train, y_val = moons
    model = Classifier(2, 1, hidden=(4,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    y_coded = y_train * 2 - 1  # classes coded -1 and 1
    n_bad = int((y_coded == -1).sum())
    with pytest.raises(ValueError) as info:
        fit(model, X_train, y_coded, X_val, y_val, nn.BCEWithLogitsLoss(), optimizer, 2)
    message = str(info.value)
    assert message.startswith(f"y_train holds {n_bad} values other than 0 and 1")
    assert "BCEWithLogitsLoss expects targets 0. or 1." in message
    assert "y_train = (y_train == 1.0).float()" in message


class TupleModel(nn.Module):
    """Returns (logits, features), as models with auxiliary outputs do."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, x):
        return self.linear(x), x


def test_fit_refuses_a_model_that_returns_a_tuple(moons):
    X_train, X_val, y_train, y_val = moons
    model = TupleModel()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError) as info:
        fit(model, X_train, y_train, X_val, y_val, nn.BCEWithLogitsLoss(), optimizer, 2)
    message = str(info.value)
    assert "model returned a tuple of 2 (Tensor (30, 1), Tensor (30, 2))" in message
    assert "return a tensor from forward" in message and "output[0]" in message
