"""Tests for ptx.data: shapes and dtypes of each data set, the split, and bad arguments."""

import numpy as np
import pytest
import torch
from sklearn import datasets

from ptx.data import (
    make_blobs,
    make_circles,
    make_line,
    make_moons,
    make_spirals,
    split_train_test,
)


def test_make_line_defaults():
    X, y = make_line()
    assert X.shape == y.shape == (100, 1)
    assert X.dtype == y.dtype == torch.float32
    assert X[0, 0].item() == 0.0
    assert X[-1, 0].item() == pytest.approx(0.99)
    torch.testing.assert_close(y, 0.3 * X + 0.9)


def test_make_line_arguments():
    X, y = make_line(weight=2.0, bias=-1.0, start=1.0, end=2.0, step=0.25)
    assert X.ravel().tolist() == [1.0, 1.25, 1.5, 1.75]
    assert y.ravel().tolist() == [1.0, 1.5, 2.0, 2.5]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"step": 0}, "step must be positive, got 0"),
        ({"step": -0.1}, "step must be positive, got -0.1"),
        ({"start": 1.0, "end": 1.0}, "end must be greater than start"),
    ],
)
def test_make_line_rejects_empty_range(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_line(**kwargs)


def test_split_keeps_order_by_default():
    X, y = make_line()
    X_train, X_test, y_train, y_test = split_train_test(X, y)
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (80, 20, 80, 20)
    assert torch.equal(X_train, X[:80]) and torch.equal(X_test, X[80:])
    assert torch.equal(y_train, y[:80]) and torch.equal(y_test, y[80:])


def test_split_shuffles_with_own_seeded_generator():
    X, y = make_line()
    state = torch.get_rng_state()
    first = split_train_test(X, y, train_fraction=0.5, shuffle=True, seed=3)
    again = split_train_test(X, y, train_fraction=0.5, shuffle=True, seed=3)
    other = split_train_test(X, y, train_fraction=0.5, shuffle=True, seed=4)
    assert torch.equal(torch.get_rng_state(), state)  # the global stream was not used
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not torch.equal(first[0], other[0])
    X_train, X_test, y_train, _ = first
    assert not torch.equal(X_train, X[:50])
    torch.testing.assert_close(y_train, 0.3 * X_train + 0.9)  # pairs stay together
    assert sorted(X_train.ravel().tolist() + X_test.ravel().tolist()) == X.ravel().tolist()


@pytest.mark.parametrize("train_fraction", [0, 1, 1.5, -0.2])
def test_split_rejects_fraction_outside_open_interval(train_fraction):
    X, y = make_line()
    with pytest.raises(
        ValueError, match=f"train_fraction must be between 0 and 1.*{train_fraction}"
    ):
        split_train_test(X, y, train_fraction=train_fraction)


def test_split_rejects_empty_part_and_empty_data():
    X, y = make_line(end=0.02)  # two points
    with pytest.raises(ValueError, match="leaves an empty part"):
        split_train_test(X, y, train_fraction=0.1)
    with pytest.raises(ValueError, match="leaves an empty part"):
        split_train_test(torch.zeros(0, 1), torch.zeros(0, 1))


def test_split_rejects_mismatched_or_non_tensor_input():
    X, y = make_line()
    with pytest.raises(ValueError, match=r"X has 100 samples .* y has 99"):
        split_train_test(X, y[:99])
    with pytest.raises(TypeError, match="X must be a torch.Tensor, got list"):
        split_train_test(X.tolist(), y)


@pytest.mark.parametrize(
    ("maker", "sk_maker"), [(make_moons, "make_moons"), (make_circles, "make_circles")]
)
def test_binary_sets_match_scikit_learn(maker, sk_maker):
    X, y = maker(n_samples=50, noise=0.1, seed=7)
    assert X.shape == (50, 2) and y.shape == (50, 1)
    assert X.dtype == y.dtype == torch.float32
    X_sk, y_sk = getattr(datasets, sk_maker)(n_samples=50, noise=0.1, random_state=7)
    np.testing.assert_allclose(X.numpy(), X_sk.astype(np.float32))
    assert y.ravel().tolist() == y_sk.astype(float).tolist()


def test_make_blobs_gives_int64_class_labels():
    X, y = make_blobs(n_samples=40, centers=3, seed=0)
    assert X.shape == (40, 2) and X.dtype == torch.float32
    assert y.shape == (40,) and y.dtype == torch.int64
    assert set(y.tolist()) == {0, 1, 2}


def test_make_spirals_follows_cs231n_recipe():
    X, y = make_spirals(points_per_class=20, classes=3, seed=1)
    assert X.shape == (60, 2) and X.dtype == torch.float32
    assert y.dtype == torch.int64 and torch.bincount(y).tolist() == [20, 20, 20]
    # r = linspace(0, 1, N) on every arm, whatever the angle noise
    radius = X.norm(dim=1).reshape(3, 20)
    torch.testing.assert_close(radius, torch.linspace(0, 1, 20).expand(3, 20))
    rng = np.random.RandomState(1)
    t0 = np.linspace(0, 4, 20) + rng.randn(20) * 0.2
    np.testing.assert_allclose(X[:20, 0].numpy(), np.linspace(0, 1, 20) * np.sin(t0), atol=1e-6)
    X_again, _ = make_spirals(points_per_class=20, classes=3, seed=1)
    assert torch.equal(X, X_again)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: make_moons(n_samples=0), ValueError, "n_samples must be a positive int, got 0"),
        (lambda: make_moons(n_samples=10.0), TypeError, "n_samples must be an int, got float"),
        (lambda: make_circles(noise=-0.1), ValueError, "noise must be zero or positive"),
        (lambda: make_circles(factor=1.5), ValueError, "factor must be between 0 and 1"),
        (lambda: make_blobs(centers=0), ValueError, "centers must be a positive int, got 0"),
        (lambda: make_blobs(cluster_std=-1), ValueError, "cluster_std must be zero or positive"),
        (
            lambda: make_spirals(points_per_class=0),
            ValueError,
            "points_per_class must be a positive",
        ),
        (lambda: make_spirals(classes="3"), TypeError, "classes must be an int, got str"),
    ],
)
def test_makers_name_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()
