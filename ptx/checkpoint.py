"""Save a model's state_dict atomically and load it back with clear errors when it does not fit."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import nn


class CheckpointNotFoundError(FileNotFoundError, ValueError):
    """The checkpoint file does not exist."""


class CheckpointCorruptError(ValueError):
    """The file is not a readable PyTorch state_dict."""


class CheckpointMismatchError(ValueError):
    """The checkpoint's keys or shapes do not fit the model."""


def save_checkpoint(model_or_state_dict: nn.Module | Mapping, path: str | os.PathLike) -> Path:
    """Save a state_dict atomically: write a temp file in the same folder, then rename it.

    A failure part-way leaves any earlier file at `path` as it was, and no temp file behind.

    Args:
        model_or_state_dict: A model (its `state_dict()` is saved) or a state_dict.
        path: Where to save; missing parent folders are made.

    Returns:
        The path saved to.

    Raises:
        TypeError: If the first argument is neither a model nor a mapping.
    """
    if isinstance(model_or_state_dict, nn.Module):
        state_dict = model_or_state_dict.state_dict()
    elif isinstance(model_or_state_dict, Mapping):
        state_dict = dict(model_or_state_dict)
    else:
        raise TypeError(
            f"model_or_state_dict must be an nn.Module or a state_dict, "
            f"got {type(model_or_state_dict).__name__}"
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state_dict, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)  # atomic: readers see the old file or the new one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _mismatch(expected: Mapping, loaded: Mapping) -> list[str]:
    missing = [k for k in expected if k not in loaded]
    unexpected = [k for k in loaded if k not in expected]
    misshaped = [
        f"{k}: checkpoint {tuple(loaded[k].shape)}, model {tuple(v.shape)}"
        for k, v in expected.items()
        if k in loaded and isinstance(loaded[k], torch.Tensor) and loaded[k].shape != v.shape
    ]
    problems = []
    if missing:
        problems.append(f"missing keys (in the model, not the checkpoint): {', '.join(missing)}")
    if unexpected:
        problems.append(
            f"unexpected keys (in the checkpoint, not the model): {', '.join(unexpected)}"
        )
    if misshaped:
        problems.append(f"mis-shaped keys: {'; '.join(misshaped)}")
    return problems


def load_checkpoint(
    model: nn.Module, path: str | os.PathLike, map_location: str | torch.device | None = None
) -> nn.Module:
    """Load a saved state_dict into a model, with `weights_only=True`.

    Args:
        model: A model of the architecture that was saved.
        path: The checkpoint file.
        map_location: Device to load the tensors to; None uses the model's device.

    Returns:
        The same model, holding the loaded weights.

    Raises:
        CheckpointNotFoundError: If no file is at `path` (a FileNotFoundError and a ValueError).
        CheckpointCorruptError: If the file is not a readable state_dict (a ValueError).
        CheckpointMismatchError: If keys or shapes differ from the model's (a ValueError);
            the message names the missing, unexpected and mis-shaped keys.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    path = Path(path)
    if not path.is_file():
        raise CheckpointNotFoundError(
            f"no checkpoint file at {path}; save one first with save_checkpoint(model, path)"
        )
    if map_location is None:
        tensors = [*model.parameters(), *model.buffers()]
        map_location = tensors[0].device if tensors else "cpu"
    try:
        state_dict = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:
        raise CheckpointCorruptError(
            f"could not read checkpoint {path}: it is corrupt, truncated or not a PyTorch "
            f"state_dict ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
        ) from exc
    if not isinstance(state_dict, Mapping):
        raise CheckpointCorruptError(
            f"checkpoint {path} holds a {type(state_dict).__name__}, expected a state_dict"
        )
    problems = _mismatch(model.state_dict(), state_dict)
    if problems:
        raise CheckpointMismatchError(
            f"checkpoint {path} does not fit {type(model).__name__}: " + "; ".join(problems)
        )
    model.load_state_dict(state_dict)
    return model
