"""Seed every random number generator in one call, and make private generators for data."""

from __future__ import annotations

import random

import numpy as np
import torch


def _check_seed(seed: object, name: str = "seed") -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"{name} must be an int, got {type(seed).__name__} {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"{name} must be between 0 and 2**32 - 1, got {seed}")


def set_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy and PyTorch so a run repeats exactly.

    `torch.manual_seed` seeds the CPU and every CUDA/MPS device at once.

    Args:
        seed: A non-negative int below 2**32.

    Raises:
        TypeError: If `seed` is not an int.
        ValueError: If `seed` is negative or too large for NumPy.
    """
    _check_seed(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def make_generator(seed: int | None = None) -> torch.Generator:
    """Make a private CPU generator, so shuffling does not disturb the global random stream.

    Args:
        seed: Seed for the generator; None draws one from torch's global generator, so a run
            after `set_seed` still repeats.

    Returns:
        A seeded `torch.Generator`.

    Raises:
        TypeError: If `seed` is not an int or None.
        ValueError: If `seed` is negative or too large.
    """
    if seed is None:
        seed = int(torch.randint(0, 2**32, (1,)).item())
    _check_seed(seed)
    return torch.Generator().manual_seed(seed)
