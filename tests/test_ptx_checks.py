"""Tests for ptx.checks: each check passes good input and names shapes, dtypes and devices."""

import re

import pytest
import torch
from torch import nn

from ptx.checks import (
    check_features,
    check_logits_labels,
    check_loss_inputs,
    check_positive_int,
    check_same_device,
    check_same_length,
    check_same_shape,
    check_target,
    check_tensor,
)


def test_same_shape_passes_equal_shapes():
    assert check_same_shape(torch.zeros(80, 1), torch.zeros(80, 1)) is None


def test_column_prediction_against_flat_target_names_both_shapes_and_fix():
    with pytest.raises(ValueError) as info:
        check_same_shape(torch.zeros(80, 1), torch.zeros(80))
    message = str(info.value)
    assert "y_pred has shape (80, 1) but y has shape (80,)" in message
    assert "y = y.unsqueeze(1)" in message and "y_pred = y_pred.squeeze(1)" in message


def test_flat_prediction_against_column_target_suggests_the_other_fix():
    with pytest.raises(
        ValueError, match=re.escape("fix: y_test = y_test.squeeze(1) or out = out.unsqueeze(1)")
    ):
        check_same_shape(torch.zeros(5), torch.zeros(5, 1), names=("out", "y_test"))


def test_unrelated_shapes_are_named_without_a_fix():
    with pytest.raises(
        ValueError, match=r"\(4, 3\) but y has shape \(4, 2\); expected the same shape"
    ) as info:
        check_same_shape(torch.zeros(4, 3), torch.zeros(4, 2))
    assert "fix" not in str(info.value)


def test_device_mismatch_names_each_device():
    model = nn.Linear(2, 1, device="meta")
    X = torch.zeros(3, 2)
    with pytest.raises(ValueError, match="model is on meta, X is on cpu"):
        check_same_device(model, X, names=("model", "X"))
    with pytest.raises(ValueError, match="tensor 0 is on cpu, tensor 1 is on meta"):
        check_same_device(X, torch.zeros(3, device="meta"))


def test_same_device_passes_and_ignores_parameterless_models():
    check_same_device(nn.Linear(2, 1), torch.zeros(2), torch.zeros(2))
    check_same_device(nn.ReLU(), torch.zeros(2, device="meta"))


@pytest.mark.parametrize(
    ("X", "kwargs", "error", "message"),
    [
        ([[1.0, 2.0]], {}, TypeError, "X must be a torch.Tensor, got list"),
        (
            torch.zeros(3, 2, dtype=torch.int64),
            {},
            TypeError,
            r"torch.int64, expected torch.float32; fix: X = X.float\(\)",
        ),
        (
            torch.zeros(3, 2, dtype=torch.float64),
            {},
            TypeError,
            "X has dtype torch.float64, expected torch.float32",
        ),
        (
            torch.zeros(3, 2, dtype=torch.int64),
            {"dtype": None},
            TypeError,
            "expected float features",
        ),
        (
            torch.zeros(10),
            {"name": "X_train"},
            ValueError,
            r"X_train has shape \(10,\), expected \(N, D\).*X_train.unsqueeze\(1\)",
        ),
        (torch.zeros(0, 2), {}, ValueError, r"X is empty \(shape \(0, 2\)\)"),
        (
            torch.zeros(4, 3),
            {"n_features": 2},
            ValueError,
            r"shape \(4, 3\), expected 2 feature columns",
        ),
    ],
)
def test_check_features_rejects(X, kwargs, error, message):
    with pytest.raises(error, match=message):
        check_features(X, **kwargs)


def test_check_features_accepts_float64_when_asked():
    check_features(torch.zeros(3, 2, dtype=torch.float64), dtype=torch.float64)
    check_features(torch.zeros(3, 2, dtype=torch.float64), dtype=None)


@pytest.mark.parametrize(
    ("y", "loss_fn", "error", "message"),
    [
        (
            torch.zeros(4),
            nn.CrossEntropyLoss(),
            TypeError,
            r"CrossEntropyLoss expects class labels of dtype torch.int64.*y.long\(\)",
        ),
        (
            torch.zeros(4, 1, dtype=torch.int64),
            nn.CrossEntropyLoss(),
            ValueError,
            r"shape \(4, 1\).*y = y.squeeze\(1\)",
        ),
        (
            torch.zeros(4, 1, dtype=torch.int64),
            nn.BCEWithLogitsLoss(),
            TypeError,
            r"BCEWithLogitsLoss expects float targets.*y.float\(\)",
        ),
        (
            torch.zeros(4, 1, dtype=torch.int64),
            nn.MSELoss(),
            TypeError,
            "MSELoss expects float targets",
        ),
        (torch.zeros(0, 1), nn.MSELoss(), ValueError, r"y is empty \(shape \(0, 1\)\)"),
        ("labels", None, TypeError, "y must be a torch.Tensor, got str"),
    ],
)
def test_check_target_rejects_labels_that_do_not_fit_the_loss(y, loss_fn, error, message):
    with pytest.raises(error, match=message):
        check_target(y, loss_fn)


def test_check_target_accepts_matching_labels():
    check_target(torch.zeros(4, dtype=torch.int64), nn.CrossEntropyLoss())
    check_target(torch.zeros(4, 1), nn.BCEWithLogitsLoss())
    check_target(torch.zeros(4, dtype=torch.int64), lambda y_pred, y: y_pred.sum())  # custom loss


def test_check_same_length_names_both_lengths():
    with pytest.raises(
        ValueError, match=r"X_train has 5 samples \(shape \(5, 2\)\) but y_train has 4"
    ):
        check_same_length(torch.zeros(5, 2), torch.zeros(4), names=("X_train", "y_train"))


def test_logits_labels_need_one_column_per_class():
    check_logits_labels(torch.zeros(4, 3), torch.zeros(4, dtype=torch.int64))
    with pytest.raises(ValueError, match=r"y_logits has shape \(4, 1\), expected \(N, C\)"):
        check_logits_labels(torch.zeros(4, 1), torch.zeros(4, dtype=torch.int64))
    with pytest.raises(ValueError, match="y_logits has 4 samples"):
        check_logits_labels(torch.zeros(4, 3), torch.zeros(5, dtype=torch.int64))


def test_check_loss_inputs_dispatches_on_the_loss():
    labels = torch.zeros(4, dtype=torch.int64)
    check_loss_inputs(torch.zeros(4, 3), labels, nn.CrossEntropyLoss())
    with pytest.raises(ValueError, match="expected the same shape"):
        check_loss_inputs(torch.zeros(4, 3), labels, nn.MSELoss())


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (0, ValueError, "epochs must be a positive int, got 0"),
        (-2, ValueError, "got -2"),
        (1.5, TypeError, "epochs must be an int, got float 1.5"),
        (True, TypeError, "got bool"),
    ],
)
def test_check_positive_int(value, error, message):
    with pytest.raises(error, match=message):
        check_positive_int(value, "epochs")
    check_positive_int(3, "epochs")


def test_check_tensor():
    check_tensor(torch.zeros(1))
    with pytest.raises(TypeError, match="X must be a torch.Tensor, got ndarray"):
        import numpy as np

        check_tensor(np.zeros(1))
