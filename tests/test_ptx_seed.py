"""Tests for ptx.seed: one call repeats random, NumPy and torch; private generators."""

import random

import numpy as np
import pytest
import torch

from ptx.seed import make_generator, set_seed


def _draw():
    return random.random(), float(np.random.rand()), torch.rand(3).tolist()


def test_same_seed_repeats_every_generator():
    set_seed(123)
    first = _draw()
    set_seed(123)
    assert _draw() == first
    set_seed(124)
    assert _draw() != first


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        ("1", TypeError, "seed must be an int, got str"),
        (1.5, TypeError, "seed must be an int, got float"),
        (True, TypeError, "seed must be an int, got bool"),
        (-1, ValueError, "got -1"),
        (2**32, ValueError, "between 0 and 2\\*\\*32 - 1"),
    ],
)
def test_bad_seed_is_named(seed, error, message):
    with pytest.raises(error, match=message):
        set_seed(seed)


def test_generator_with_seed_leaves_global_stream_alone():
    state = torch.get_rng_state()
    g1, g2 = make_generator(7), make_generator(7)
    assert torch.equal(torch.randperm(20, generator=g1), torch.randperm(20, generator=g2))
    assert torch.equal(torch.get_rng_state(), state)


def test_generator_without_seed_follows_set_seed():
    set_seed(5)
    first = torch.randperm(20, generator=make_generator())
    set_seed(5)
    assert torch.equal(torch.randperm(20, generator=make_generator()), first)


def test_generator_rejects_bad_seed():
    with pytest.raises(ValueError, match="got -3"):
        make_generator(-3)
