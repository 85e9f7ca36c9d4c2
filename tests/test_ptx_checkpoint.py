"""Tests for ptx.checkpoint: round trip, atomic saves, and clear errors for bad files."""

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
