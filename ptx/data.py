"""Toy data sets as float32 tensors: a straight line, moons, circles, blobs, spirals; and a split."""

from __future__ import annotations

import numpy as np
import torch

from ptx.checks import check_positive_int, check_same_length, check_tensor
from ptx.seed import make_generator


def make_line(
    weight: float = 0.3, bias: float = 0.9, start: float = 0.0, end: float = 1.0, step: float = 0.01
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make points on the line `y = weight * X + bias`, with X from `torch.arange`.

    Args:
        weight: Slope of the line.
        bias: Intercept of the line.
        start: First X value.
        end: X values stop before this one.
        step: Distance between X values.

    Returns:
        `(X, y)`, both float32 shaped `(N, 1)`.

    Raises:
        ValueError: If `step` is not positive or the range holds no points.

    Taught in: The workflow on linear regression (linear-regression.md).
    """
    if step <= 0:
        raise ValueError(f"step must be positive, got {step}")
    if end <= start:
        raise ValueError(f"end must be greater than start, got start={start}, end={end}")
    X = torch.arange(start, end, step, dtype=torch.float32).unsqueeze(1)
    y = weight * X + bias
    return X, y


def split_train_test(
    X: torch.Tensor,
    y: torch.Tensor,
    train_fraction: float = 0.8,
    shuffle: bool = False,
    seed: int | None = None,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Split features and targets into a training and a test part.

    Split twice for a validation set: first off the test set, then the training part into
    training and validation data. `fit` picks its best epoch on the validation data; the test
    set is measured once, at the end.

    Args:
        X: Features, one row per sample.
        y: Targets, one per sample.
        train_fraction: Share of samples for training, strictly between 0 and 1.
        shuffle: Shuffle before splitting; the default keeps the order (right for a line).
        seed: Seed for the shuffle's own generator; None draws one from torch's global one.

    Returns:
        `(X_train, X_test, y_train, y_test)`.

    Raises:
        TypeError: If `X` or `y` is not a tensor.
        ValueError: If the lengths differ, `train_fraction` is outside (0, 1), or a part
            would be empty.

    Taught in: The workflow on linear regression (linear-regression.md).
    """
    check_tensor(X, "X")
    check_tensor(y, "y")
    check_same_length(X, y)
    if not 0 < train_fraction < 1:
        raise ValueError(
            f"train_fraction must be between 0 and 1 (exclusive), got {train_fraction}"
        )
    n_train = int(train_fraction * len(X))
    if n_train == 0 or n_train == len(X):
        raise ValueError(
            f"train_fraction={train_fraction} of {len(X)} samples leaves an empty part; "
            f"use more samples or a fraction nearer 0.5"
        )
    if shuffle:
        order = torch.randperm(len(X), generator=make_generator(seed))
        X, y = X[order.to(X.device)], y[order.to(y.device)]
    return X[:n_train], X[n_train:], y[:n_train], y[n_train:]


def _to_tensors(X: np.ndarray, y: np.ndarray, binary: bool) -> tuple[torch.Tensor, torch.Tensor]:
    X_t = torch.from_numpy(np.asarray(X, dtype=np.float32))
    if binary:
        return X_t, torch.from_numpy(np.asarray(y, dtype=np.float32)).unsqueeze(1)
    return X_t, torch.from_numpy(np.asarray(y, dtype=np.int64))


def _check_noise(noise: float) -> None:
    if noise < 0:
        raise ValueError(f"noise must be zero or positive, got {noise}")


def make_moons(
    n_samples: int = 1000, noise: float = 0.03, seed: int = 42
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make two interleaving half circles (scikit-learn's `make_moons`).

    Args:
        n_samples: Number of points.
        noise: Standard deviation of Gaussian noise added to the points.
        seed: Passed to scikit-learn as `random_state`.

    Returns:
        `(X, y)`: X float32 `(N, 2)`, y float32 `(N, 1)` holding 0. or 1.

    Raises:
        TypeError: If `n_samples` is not an int.
        ValueError: If `n_samples` is not positive or `noise` is negative.

    Taught in: Binary classification (classification/binary.md).
    """
    from sklearn import datasets

    check_positive_int(n_samples, "n_samples")
    _check_noise(noise)
    X, y = datasets.make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    return _to_tensors(X, y, binary=True)


def make_circles(
    n_samples: int = 1000, noise: float = 0.03, seed: int = 42, factor: float = 0.8
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make a small circle inside a large one (scikit-learn's `make_circles`).

    Args:
        n_samples: Number of points.
        noise: Standard deviation of Gaussian noise added to the points.
        seed: Passed to scikit-learn as `random_state`.
        factor: Radius of the inner circle relative to the outer one, in (0, 1).

    Returns:
        `(X, y)`: X float32 `(N, 2)`, y float32 `(N, 1)` holding 0. or 1.

    Raises:
        TypeError: If `n_samples` is not an int.
        ValueError: If `n_samples` is not positive, `noise` is negative or `factor` is
            outside (0, 1).

    Taught in: Binary classification (classification/binary.md).
    """
    from sklearn import datasets

    check_positive_int(n_samples, "n_samples")
    _check_noise(noise)
    if not 0 < factor < 1:
        raise ValueError(f"factor must be between 0 and 1 (exclusive), got {factor}")
    X, y = datasets.make_circles(n_samples=n_samples, noise=noise, factor=factor, random_state=seed)
    return _to_tensors(X, y, binary=True)


def make_blobs(
    n_samples: int = 1000, centers: int = 4, cluster_std: float = 1.5, seed: int = 42
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make Gaussian blobs in 2D, one class per blob (scikit-learn's `make_blobs`).

    Args:
        n_samples: Number of points, shared out among the blobs.
        centers: Number of blobs (classes).
        cluster_std: Standard deviation of each blob.
        seed: Passed to scikit-learn as `random_state`.

    Returns:
        `(X, y)`: X float32 `(N, 2)`, y int64 `(N,)` holding class labels 0..centers-1.

    Raises:
        TypeError: If `n_samples` or `centers` is not an int.
        ValueError: If `n_samples` or `centers` is not positive or `cluster_std` is negative.

    Taught in: Going deeper: classification (deeper/classification.md).
    """
    from sklearn import datasets

    check_positive_int(n_samples, "n_samples")
    check_positive_int(centers, "centers")
    if cluster_std < 0:
        raise ValueError(f"cluster_std must be zero or positive, got {cluster_std}")
    X, y = datasets.make_blobs(
        n_samples=n_samples,
        n_features=2,
        centers=centers,
        cluster_std=cluster_std,
        random_state=seed,
    )
    return _to_tensors(X, y, binary=False)


def make_spirals(
    points_per_class: int = 100, classes: int = 3, seed: int = 42
) -> tuple[torch.Tensor, torch.Tensor]:
    """Make the CS231n spirals: one noisy spiral arm per class.

    Args:
        points_per_class: Points on each arm.
        classes: Number of arms (classes).
        seed: Seed for NumPy's `RandomState`.

    Returns:
        `(X, y)`: X float32 `(points_per_class * classes, 2)`, y int64 class labels.

    Raises:
        TypeError: If `points_per_class` or `classes` is not an int.
        ValueError: If `points_per_class` or `classes` is not positive.

    Taught in: Multiclass classification (classification/multiclass.md).
    """
    check_positive_int(points_per_class, "points_per_class")
    check_positive_int(classes, "classes")
    rng = np.random.RandomState(seed)
    N = points_per_class
    X = np.zeros((N * classes, 2))
    y = np.zeros(N * classes, dtype=np.int64)
    for j in range(classes):
        rows = slice(N * j, N * (j + 1))
        r = np.linspace(0.0, 1, N)  # radius
        t = np.linspace(j * 4, (j + 1) * 4, N) + rng.randn(N) * 0.2  # angle
        X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[rows] = j
    return _to_tensors(X, y, binary=False)
