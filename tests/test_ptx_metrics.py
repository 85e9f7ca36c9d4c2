"""Tests for ptx.metrics: binary and multiclass accuracy, inferred tasks and mismatches."""

import pytest
import torch
from torchmetrics.classification import BinaryAccuracy, MulticlassAccuracy

from ptx.metrics import accuracy, make_accuracy


def test_binary_accuracy_uses_logit_above_zero():
    # 0.3 is a positive logit (class 1) even though it looks like a probability below 0.5
    y_logits = torch.tensor([[2.0], [-1.0], [0.3], [-0.2]])
    y = torch.tensor([[1.0], [0.0], [0.0], [0.0]])
    result = accuracy(y_logits, y)
    assert isinstance(result, float)
    assert result == 0.75


@pytest.mark.parametrize(
    "transform",
    [torch.sigmoid, lambda y_logits: torch.round(torch.sigmoid(y_logits))],
    ids=["probabilities", "predicted_labels"],
)
def test_binary_probabilities_or_labels_are_refused(transform):
    # thresholded at 0 they would all count as class 1: 0.5 here instead of 0.6667
    y_logits = torch.tensor([[2.0], [-1.0], [0.3], [-0.2], [1.5], [-3.0]])
    y = torch.tensor([[1.0], [0.0], [0.0], [0.0], [1.0], [1.0]])
    with pytest.raises(ValueError) as info:
        accuracy(transform(y_logits), y)
    message = str(info.value)
    assert message.startswith("y_logits holds only values between 0 and 1")
    assert "accuracy takes logits" in message
    assert "ptx.accuracy(model(X), y)" in message
    assert "((y_logits > 0).float() == y).float().mean()" in message  # the way out for real logits


@pytest.mark.parametrize(
    ("y_logits", "y"),
    [
        (torch.tensor([[1.0], [float("nan")], [-1.0], [float("nan")]]), torch.ones(4, 1)),
        (torch.full((4, 3), float("nan")), torch.tensor([0, 1, 2, 0])),
    ],
    ids=["binary", "multiclass"],
)
def test_nan_logits_are_refused(y_logits, y):
    count = int(y_logits.isnan().sum())
    with pytest.raises(
        ValueError, match=rf"y_logits holds {count} NaN values?, the first in row \d"
    ):
        accuracy(y_logits, y)


def test_multiclass_probabilities_give_the_same_accuracy_as_logits():
    torch.manual_seed(0)
    y_logits, y = torch.randn(50, 4), torch.randint(0, 4, (50,))
    assert accuracy(y_logits.softmax(dim=1), y) == accuracy(y_logits, y)
    assert "probabilities" in accuracy.__doc__


def test_multiclass_accuracy_is_argmax_fraction():
    y_logits = torch.tensor([[3.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 1.0], [5.0, 0.0, 0.0]])
    y = torch.tensor([0, 1, 0, 0])
    assert accuracy(y_logits, y) == 0.75
    assert accuracy(y_logits, y, num_classes=3) == 0.75


def test_multiclass_accuracy_agrees_with_argmax_on_random_logits():
    torch.manual_seed(0)
    y_logits, y = torch.randn(50, 4), torch.randint(0, 4, (50,))
    expected = (y_logits.argmax(dim=1) == y).float().mean().item()
    assert accuracy(y_logits, y) == pytest.approx(expected)


def test_num_classes_that_disagrees_with_logits_is_an_error():
    with pytest.raises(ValueError, match="num_classes=4, but y_logits has 3 columns"):
        accuracy(torch.randn(6, 3), torch.tensor([0, 1, 2, 0, 1, 2]), num_classes=4)
    with pytest.raises(ValueError, match="num_classes=3, but y holds binary labels"):
        accuracy(torch.randn(4, 1), torch.ones(4, 1), num_classes=3)


@pytest.mark.parametrize(
    ("y_logits", "y", "error", "message"),
    [
        (
            torch.randn(4, 3),
            torch.tensor([0, 1, 3, 0]),
            ValueError,
            "labels from 0 to 3, expected labels 0..2",
        ),
        (
            torch.randn(80, 1),
            torch.ones(80),
            ValueError,
            r"y_logits has shape \(80, 1\) but y has shape \(80,\).*y.unsqueeze\(1\)",
        ),
        (
            torch.randn(4, 1),
            torch.ones(4, 1, dtype=torch.int64),
            TypeError,
            r"y.float\(\) for binary.*y.squeeze\(1\) for multiclass",
        ),
        (
            torch.ones(4, 1, dtype=torch.int64),
            torch.ones(4, 1),
            TypeError,
            "y_logits has dtype torch.int64, expected float logits",
        ),
        (
            torch.randn(3, 1),
            torch.tensor([[0.0], [2.0], [1.0]]),
            ValueError,
            "values other than 0 and 1",
        ),
        (torch.randn(0, 1), torch.ones(0, 1), ValueError, "y is empty"),
        (
            torch.randn(4, 1, device="meta"),
            torch.ones(4, 1),
            ValueError,
            "y_logits is on meta, y is on cpu",
        ),
        ([0.5], torch.ones(1, 1), TypeError, "y_logits must be a torch.Tensor"),
    ],
)
def test_accuracy_bad_input(y_logits, y, error, message):
    with pytest.raises(error, match=message):
        accuracy(y_logits, y)


def test_make_accuracy_binary():
    metric = make_accuracy(torch.ones(4, 1))
    assert isinstance(metric, BinaryAccuracy)
    y_probs = torch.tensor([[0.9], [0.2], [0.7], [0.4]])
    assert metric(y_probs, torch.tensor([[1], [0], [0], [0]])).item() == 0.75


def test_make_accuracy_multiclass_reads_classes_from_labels():
    y = torch.tensor([0, 2, 1, 2])
    metric = make_accuracy(y)
    assert isinstance(metric, MulticlassAccuracy)
    assert metric.num_classes == 3
    assert make_accuracy(y, num_classes=5).num_classes == 5
    y_logits = torch.eye(3)[torch.tensor([0, 2, 2, 2])]
    assert metric(y_logits, y).item() == 0.75  # micro average: 3 of 4 right


def test_make_accuracy_rejects_disagreeing_num_classes():
    with pytest.raises(ValueError, match="labels from 0 to 2, expected labels 0..1"):
        make_accuracy(torch.tensor([0, 2, 1]), num_classes=2)
    with pytest.raises(ValueError, match="num_classes=3, but y holds binary labels"):
        make_accuracy(torch.ones(4, 1), num_classes=3)
    with pytest.raises(TypeError, match="float32 and shape \\(4,\\)"):
        make_accuracy(torch.ones(4))


def test_accuracy_is_counted_exactly_so_a_threshold_compares_as_it_reads():
    """57 right of 60 is 0.95: float32 arithmetic gives 0.9499999, which fails `>= 0.95`."""
    y = torch.zeros(60, dtype=torch.int64)
    y_logits = torch.zeros(60, 3)
    y_logits[:57, 0] = 1.0  # right
    y_logits[57:, 1] = 1.0  # wrong
    assert accuracy(y_logits, y) == 0.95
    assert accuracy(y_logits, y) >= 0.95
