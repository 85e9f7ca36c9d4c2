"""Save a model's state_dict atomically and load it back with clear errors when it does not fit."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Mapping
from pathlib import Path

import torch
from torch import nn


class CheckpointNotFoundError(FileNotFoundError, ValueError):
    """The checkpoint file does not exist (raised by `load_checkpoint`)."""


class CheckpointCorruptError(ValueError):
    """The file is not a readable PyTorch state_dict (raised by `load_checkpoint`)."""


class CheckpointMismatchError(ValueError):
    """The checkpoint's keys or shapes do not fit the model.

    Taught in: The workflow on linear regression (linear-regression.md).
    """


def save_checkpoint(model_or_state_dict: nn.Module | Mapping, path: str | os.PathLike) -> Path:
    """Save a state_dict atomically: write a temp file in the same folder, then rename it.

    A failure or interruption part-way leaves any earlier file at `path` as it was, and no temp
    file behind. A replaced file keeps its permission mode; a new one gets the usual mode
    (0o666 less the umask).

    Args:
        model_or_state_dict: A model (its `state_dict()` is saved) or a state_dict.
        path: The file to save to, such as `"models/model.pt"`; missing parent folders are made.

    Returns:
        The path saved to.

    Raises:
        TypeError: If the first argument is neither a model nor a mapping.
        ValueError: If `path` names a folder (it ends in a separator or is a directory).

    Taught in: The workflow on linear regression (linear-regression.md).
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
    path = _file_path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    created = False
    try:
        # 0o666: the umask applies, as for any new file (mkstemp would make it 0o600)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        created = True
        with os.fdopen(fd, "wb") as f:
            torch.save(state_dict, f)
            f.flush()
            os.fsync(f.fileno())
        if mode is not None:
            os.chmod(tmp, mode)  # a replaced file keeps its mode
        os.replace(tmp, path)  # atomic: readers see the old file or the new one
    except BaseException:  # KeyboardInterrupt too: never leave a temp file behind
        if created:
            tmp.unlink(missing_ok=True)
        raise
    return path


def _file_path(path: str | os.PathLike) -> Path:
    """Refuse a folder as a checkpoint path: `Path("dir/")` would quietly write a file `dir`."""
    raw = os.fsdecode(os.fspath(path))
    separators = tuple(sep for sep in (os.sep, os.altsep) if sep)
    if raw.endswith(separators) or Path(raw).is_dir():
        example = (Path(raw) / "model.pt").as_posix()
        raise ValueError(
            f"path {raw!r} names a folder, expected a file path such as {example!r}; "
            f"fix: save_checkpoint(model, {example!r})"
        )
    return Path(raw)


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


def _no_cuda(map_location: object) -> ValueError:
    return ValueError(
        f"map_location={map_location!r} asks for a CUDA device, but CUDA is not available on "
        f'this machine; fix: load_checkpoint(model, path, map_location="cpu"), or '
        f"map_location=ptx.get_device() for the best device here"
    )


def _check_map_location(map_location: object) -> None:
    """Refuse a device this machine lacks before reading, so the file is not called corrupt."""
    if not isinstance(map_location, str | torch.device):
        return  # a dict or a function: torch.load applies it
    try:
        device = torch.device(map_location)
    except RuntimeError as exc:
        raise ValueError(
            f'map_location={map_location!r} is not a device name; expected "cpu", "cuda", '
            f'"mps" or ptx.get_device()'
        ) from exc
    if device.type == "cuda" and not torch.cuda.is_available():
        raise _no_cuda(map_location)
    if device.type == "cuda" and (device.index or 0) >= torch.cuda.device_count():
        raise ValueError(
            f"map_location={map_location!r}, but this machine has "
            f"{torch.cuda.device_count()} CUDA device(s); fix: map_location=ptx.get_device()"
        )
    if device.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(
            f"map_location={map_location!r}, but MPS (Apple GPU) is not available on this "
            f'machine; fix: map_location="cpu", or map_location=ptx.get_device()'
        )


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
        ValueError: If `map_location` names a device this machine does not have.
        CheckpointNotFoundError: If no file is at `path` (a FileNotFoundError and a ValueError).
        CheckpointCorruptError: If the file is not a readable state_dict (a ValueError).
        CheckpointMismatchError: If keys or shapes differ from the model's (a ValueError);
            the message names the missing, unexpected and mis-shaped keys.

    Taught in: The workflow on linear regression (linear-regression.md).
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
    _check_map_location(map_location)
    try:
        state_dict = torch.load(path, map_location=map_location, weights_only=True)
    except Exception as exc:
        if "torch.cuda.is_available() is False" in str(exc):  # saved on CUDA, mapped to CUDA
            raise _no_cuda(map_location) from exc
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
