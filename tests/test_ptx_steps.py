"""Tests for ptx.steps: train_step and evaluate, their modes, and the checks at their boundary."""

import pytest
import torch
from torch import nn

from ptx.models import Classifier, LinearRegression
from ptx.steps import eval_mode, evaluate, train_step


@pytest.fixture
def line():
    X = torch.linspace(0, 1, 20).unsqueeze(1)
    return X, 0.3 * X + 0.9


@pytest.fixture
def three_classes():
    torch.manual_seed(0)
    return torch.randn(12, 2), torch.arange(12) % 3


def test_train_step_returns_loss_and_updates_parameters(line):
    X, y = line
    torch.manual_seed(42)
    model = LinearRegression()
    model.eval()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = [p.detach().clone() for p in model.parameters()]
    expected = nn.MSELoss()(model(X), y).item()
    loss = train_step(model, X, y, nn.MSELoss(), optimizer)
    assert isinstance(loss, float) and loss == pytest.approx(expected)
    assert model.training
    assert all(not torch.equal(b, p) for b, p in zip(before, model.parameters(), strict=True))
    losses = [train_step(model, X, y, nn.MSELoss(), optimizer) for _ in range(20)]
    assert losses[-1] < losses[0] < loss


def test_evaluate_computes_loss_and_metric_without_changing_model(three_classes):
    X, y = three_classes
    model = Classifier(2, 3)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    loss, acc = evaluate(model, X, y, nn.CrossEntropyLoss(), metric="accuracy")
    with torch.no_grad():
        y_logits = model(X)
    assert loss == pytest.approx(nn.CrossEntropyLoss()(y_logits, y).item())
    assert acc == pytest.approx((y_logits.argmax(1) == y).float().mean().item())
    assert all(torch.equal(state[k], v) for k, v in model.state_dict().items())
    assert evaluate(model, X, y, nn.CrossEntropyLoss())[1] is None


@pytest.mark.parametrize("training", [True, False])
def test_evaluate_runs_in_eval_and_inference_mode_then_restores(three_classes, training):
    X, y = three_classes
    model = Classifier(2, 3).train(training)
    seen = {}

    def spy(y_logits, y):
        seen["training"] = model.training
        seen["inference"] = torch.is_inference_mode_enabled()
        return 0.5

    _, score = evaluate(model, X, y, nn.CrossEntropyLoss(), metric=spy)
    assert score == 0.5
    assert seen == {"training": False, "inference": True}
    assert model.training is training


def test_eval_mode_restores_mixed_submodule_modes_even_after_an_error():
    model = Classifier(2, 3)
    model.layers[1].eval()  # one submodule in eval, the rest training
    with pytest.raises(RuntimeError, match="boom"), eval_mode(model):
        assert not any(m.training for m in model.modules())
        raise RuntimeError("boom")
    assert model.training and not model.layers[1].training and model.layers[0].training


def test_float_labels_for_cross_entropy_are_a_type_error(three_classes):
    X, y = three_classes
    model = Classifier(2, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"CrossEntropyLoss expects class labels .*y.long\(\)"):
        train_step(model, X, y.float(), nn.CrossEntropyLoss(), optimizer)
    with pytest.raises(TypeError, match="CrossEntropyLoss expects class labels"):
        evaluate(model, X, y.float(), nn.CrossEntropyLoss())


def test_int_labels_for_bce_are_a_type_error(three_classes):
    X, y = three_classes
    model = Classifier(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    y_int = (y > 0).long().unsqueeze(1)
    with pytest.raises(TypeError, match=r"BCEWithLogitsLoss expects float targets.*y.float\(\)"):
        train_step(model, X, y_int, nn.BCEWithLogitsLoss(), optimizer)
    with pytest.raises(TypeError, match="BCEWithLogitsLoss expects float targets"):
        evaluate(model, X, y_int, nn.BCEWithLogitsLoss())


def test_flat_target_against_column_output_names_shapes_and_fix(line):
    X, y = line
    model = LinearRegression()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    before = model.weight.item()
    with pytest.raises(ValueError, match=r"\(20, 1\) but y has shape \(20,\).*y.unsqueeze\(1\)"):
        train_step(model, X, y.squeeze(1), nn.MSELoss(), optimizer)
    assert model.weight.item() == before  # no step was taken


def test_model_and_data_on_different_devices(line):
    X, y = line
    model = LinearRegression().to("meta")
    with pytest.raises(ValueError, match="model is on meta, X is on cpu, y is on cpu"):
        evaluate(model, X, y, nn.MSELoss())
    with pytest.raises(ValueError, match="model is on meta, X is on cpu"):
        train_step(model, X, y, nn.MSELoss(), torch.optim.SGD(model.parameters(), lr=0.1))


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"model": "net"}, TypeError, "model must be an nn.Module, got str"),
        ({"loss_fn": "mse"}, TypeError, "loss_fn must be a loss such as nn.MSELoss"),
        ({"optimizer": 0.1}, TypeError, "optimizer must be a torch.optim.Optimizer"),
        ({"X": torch.zeros(20, 1, dtype=torch.float64)}, TypeError, "X has dtype torch.float64"),
        ({"X": torch.zeros(20)}, ValueError, r"X has shape \(20,\), expected \(N, D\)"),
        ({"X": torch.zeros(0, 1), "y": torch.zeros(0, 1)}, ValueError, "X is empty"),
        ({"y": torch.zeros(19, 1)}, ValueError, "X has 20 samples .* y has 19"),
    ],
)
def test_train_step_bad_arguments(line, change, error, message):
    X, y = line
    model = LinearRegression()
    args = {"model": model, "X": X, "y": y, "loss_fn": nn.MSELoss()}
    args["optimizer"] = torch.optim.SGD(model.parameters(), lr=0.1)
    args.update(change)
    with pytest.raises(error, match=message):
        train_step(**args)


def test_evaluate_rejects_unknown_metric(line):
    X, y = line
    with pytest.raises(ValueError, match="metric must be None, 'accuracy' or a function.*'f1'"):
        evaluate(LinearRegression(), X, y, nn.MSELoss(), metric="f1")
