"""Tests for ptx.checkpoint: round trip, atomic saves, and clear errors for bad files."""

import os
import stat

import pytest
import torch

from ptx.checkpoint import (
    CheckpointCorruptError,
    CheckpointMismatchError,
    CheckpointNotFoundError,
    load_checkpoint,
    save_checkpoint,
)
from ptx.models import Classifier, LinearRegression


def test_save_then_load_gives_identical_predictions(tmp_path):
    torch.manual_seed(0)
    model = Classifier(2, 3)
    path = save_checkpoint(model, tmp_path / "models" / "spirals.pt")
    assert path == tmp_path / "models" / "spirals.pt" and path.is_file()
    torch.manual_seed(1)
    fresh = Classifier(2, 3)
    X = torch.randn(8, 2)
    assert not torch.equal(fresh(X), model(X))
    assert load_checkpoint(fresh, path) is fresh
    assert torch.equal(fresh(X), model(X))
    assert [p.name for p in path.parent.iterdir()] == ["spirals.pt"]  # no temp file left


def test_save_accepts_state_dict_and_map_location(tmp_path):
    model = LinearRegression()
    save_checkpoint(model.state_dict(), str(tmp_path / "line.pt"))
    loaded = load_checkpoint(LinearRegression(), tmp_path / "line.pt", map_location="cpu")
    assert torch.equal(loaded.weight, model.weight) and torch.equal(loaded.bias, model.bias)


def test_failed_save_leaves_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    model = LinearRegression()
    save_checkpoint(model, path)
    old_bytes = path.read_bytes()

    def broken_save(obj, f):
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(LinearRegression(), path)
    assert path.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]


def test_save_rejects_other_objects(tmp_path):
    with pytest.raises(
        TypeError, match="model_or_state_dict must be an nn.Module or a state_dict, got list"
    ):
        save_checkpoint([1, 2], tmp_path / "x.pt")


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "nope.pt"
    with pytest.raises(CheckpointNotFoundError, match="no checkpoint file at .*nope.pt") as info:
        load_checkpoint(LinearRegression(), path)
    assert isinstance(info.value, FileNotFoundError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize("content", [b"not a checkpoint at all", b""])
def test_corrupt_file_is_named(tmp_path, content):
    path = tmp_path / "bad.pt"
    path.write_bytes(content)
    with pytest.raises(
        CheckpointCorruptError, match="could not read checkpoint .*bad.pt: it is corrupt"
    ):
        load_checkpoint(LinearRegression(), path)


def test_truncated_file_is_corrupt(tmp_path):
    path = save_checkpoint(Classifier(2, 3), tmp_path / "cut.pt")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(CheckpointCorruptError, match="cut.pt"):
        load_checkpoint(Classifier(2, 3), path)


def test_pickled_objects_are_refused_by_weights_only(tmp_path):
    path = tmp_path / "pickle.pt"
    torch.save({"weight": torch.zeros(1), "extra": Classifier(2, 1)}, path)  # a whole module inside
    with pytest.raises(CheckpointCorruptError, match="pickle.pt"):
        load_checkpoint(LinearRegression(), path)


def test_non_state_dict_checkpoint(tmp_path):
    path = tmp_path / "tensor.pt"
    torch.save(torch.zeros(3), path)
    with pytest.raises(CheckpointCorruptError, match="holds a Tensor, expected a state_dict"):
        load_checkpoint(LinearRegression(), path)


def test_other_architecture_names_missing_and_unexpected_keys(tmp_path):
    path = save_checkpoint(LinearRegression(), tmp_path / "line.pt")
    model = Classifier(1, 1, hidden=(4,))
    before = model.layers[0].weight.clone()
    with pytest.raises(CheckpointMismatchError) as info:
        load_checkpoint(model, path)
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "does not fit Classifier" in message
    assert (
        "missing keys (in the model, not the checkpoint): layers.0.weight, layers.0.bias" in message
    )
    assert "unexpected keys (in the checkpoint, not the model): weight, bias" in message
    assert torch.equal(model.layers[0].weight, before)


def test_other_sizes_name_misshaped_keys(tmp_path):
    path = save_checkpoint(Classifier(2, 1), tmp_path / "binary.pt")
    with pytest.raises(CheckpointMismatchError) as info:
        load_checkpoint(Classifier(2, 3), path)
    message = str(info.value)
    assert "layers.4.weight: checkpoint (1, 10), model (3, 10)" in message
    assert "layers.4.bias: checkpoint (1,), model (3,)" in message
    assert "missing keys" not in message and "unexpected keys" not in message


# --- loading onto a device this machine lacks ---------------------------------------------------


@pytest.mark.parametrize("map_location", ["cuda", "cuda:0", torch.device("cuda", 1)])
def test_cuda_map_location_without_cuda_says_so(tmp_path, monkeypatch, map_location):
    path = save_checkpoint(LinearRegression(), tmp_path / "line.pt")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError) as info:
        load_checkpoint(LinearRegression(), path, map_location=map_location)
    message = str(info.value)
    assert not isinstance(info.value, CheckpointCorruptError)
    assert "CUDA is not available on this machine" in message
    assert 'map_location="cpu"' in message and "ptx.get_device()" in message
    assert "corrupt" not in message


# --- saving: folders, interruptions, permissions ------------------------------------------------


@pytest.mark.parametrize("suffix", ["/", os.sep])
def test_save_to_a_path_ending_in_a_separator_is_refused(tmp_path, suffix):
    target = str(tmp_path / "checkpoints") + suffix
    with pytest.raises(ValueError, match="names a folder, expected a file path") as info:
        save_checkpoint(LinearRegression(), target)
    assert "checkpoints/model.pt" in str(info.value).replace(os.sep, "/")
    assert list(tmp_path.iterdir()) == []  # no file named 'checkpoints'


def test_save_to_an_existing_folder_is_refused(tmp_path):
    (tmp_path / "models").mkdir()
    with pytest.raises(ValueError, match="names a folder, expected a file path"):
        save_checkpoint(LinearRegression(), tmp_path / "models")
    assert (tmp_path / "models").is_dir() and list((tmp_path / "models").iterdir()) == []


def test_interrupted_save_leaves_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = save_checkpoint(LinearRegression(), tmp_path / "model.pt")
    old_bytes = path.read_bytes()

    def interrupted_save(obj, f):
        f.write(b"half a checkpoint")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch, "save", interrupted_save)
    with pytest.raises(KeyboardInterrupt):
        save_checkpoint(LinearRegression(), path)
    assert path.read_bytes() == old_bytes
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_new_checkpoint_gets_the_umask_mode(tmp_path, umask_022):
    path = save_checkpoint(LinearRegression(), tmp_path / "model.pt")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o640, 0o664])
def test_replaced_checkpoint_keeps_the_old_files_mode(tmp_path, umask_022, mode):
    path = tmp_path / "model.pt"
    path.write_bytes(b"old")
    path.chmod(mode)
    save_checkpoint(LinearRegression(), path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert isinstance(load_checkpoint(LinearRegression(), path), LinearRegression)
