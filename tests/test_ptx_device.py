"""Tests for ptx.device: the automatic order, the PTX_DEVICE override and clear errors."""

import pytest
import torch

from ptx.device import available_devices, get_device


@pytest.fixture
def cpu_only(monkeypatch):
    """Pretend this machine has neither CUDA nor MPS, and no PTX_DEVICE set."""
    monkeypatch.delenv("PTX_DEVICE", raising=False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)


def test_cpu_when_nothing_else(cpu_only):
    assert get_device() == torch.device("cpu")
    assert available_devices() == ["cpu"]


def test_cuda_comes_before_mps(cpu_only, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert get_device() == torch.device("cuda")


def test_mps_when_no_cuda(cpu_only, monkeypatch):
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: True)
    assert get_device() == torch.device("mps")
    assert available_devices() == ["cpu", "mps"]


def test_available_devices_lists_each_cuda_index(cpu_only, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert available_devices() == ["cpu", "cuda", "cuda:0", "cuda:1"]
    assert get_device("cuda:1") == torch.device("cuda", 1)


def test_env_var_overrides_automatic_choice(cpu_only, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setenv("PTX_DEVICE", "cpu")
    assert get_device() == torch.device("cpu")


def test_explicit_name_beats_env_var(cpu_only, monkeypatch):
    monkeypatch.setenv("PTX_DEVICE", "tpu")
    assert get_device("cpu") == torch.device("cpu")
    assert get_device(" CPU ") == torch.device("cpu")
    assert get_device(torch.device("cpu")) == torch.device("cpu")


def test_unavailable_env_device_names_env_var_and_lists_available(cpu_only, monkeypatch):
    monkeypatch.setenv("PTX_DEVICE", "cuda")
    with pytest.raises(
        ValueError, match=r"'cuda' \(from env var PTX_DEVICE\).*available devices: cpu$"
    ):
        get_device()


@pytest.mark.parametrize("name", ["tpu", "meta", "cuda:7", ""])
def test_unknown_or_unavailable_name_raises(cpu_only, name):
    with pytest.raises(ValueError, match="available devices: cpu"):
        get_device(name)


def test_non_string_name_raises_type_error(cpu_only):
    with pytest.raises(TypeError, match="name must be a device name"):
        get_device(0)
