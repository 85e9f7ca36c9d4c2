"""Pick the device to run on: CUDA, then Apple MPS, then CPU, with an override by name or env var."""

from __future__ import annotations

import os

import torch

ENV_VAR = "PTX_DEVICE"


def available_devices() -> list[str]:
    """List the device names this machine can run on.

    Returns:
        Names such as `["cpu", "cuda", "cuda:0", "mps"]`; `"cpu"` is always there.
    """
    devices = ["cpu"]
    if torch.cuda.is_available():
        devices.append("cuda")
        devices.extend(f"cuda:{i}" for i in range(torch.cuda.device_count()))
    if torch.backends.mps.is_available():
        devices.append("mps")
    return devices


def get_device(name: str | None = None) -> torch.device:
    """Pick a device: an explicit name, else env var `PTX_DEVICE`, else CUDA, MPS, CPU.

    Args:
        name: A device name such as `"cpu"` or `"cuda:0"`, or None to choose automatically.

    Returns:
        The chosen `torch.device`.

    Raises:
        TypeError: If `name` is not a string (or a `torch.device`).
        ValueError: If the name is unknown or not available here; the message lists the
            available devices.

    Taught in: Fundamentals (tensors) (fundamentals.md).
    """
    source = "name"
    if name is None and os.environ.get(ENV_VAR):
        name, source = os.environ[ENV_VAR], f"env var {ENV_VAR}"
    if name is None:
        if torch.cuda.is_available():
            return torch.device("cuda")
        if torch.backends.mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    if isinstance(name, torch.device):
        name = str(name)
    if not isinstance(name, str):
        raise TypeError(f"name must be a device name such as 'cpu', got {type(name).__name__}")
    available = available_devices()
    if name.strip().lower() not in available:
        raise ValueError(
            f"device {name!r} (from {source}) is unknown or not available on this machine; "
            f"available devices: {', '.join(available)}"
        )
    return torch.device(name.strip().lower())
