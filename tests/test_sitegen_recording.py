"""Blocks that need a GPU: shown as not yet run, until a recorded run fills them in, labelled with
the machine that made it; a recording of older code, or from a CPU standing in, is not shown."""

from __future__ import annotations

import json

import pytest

from sitegen.recording import ALLOW_STAND_IN, record, recording_file
from sitegen.sitebuild import BuildFailure, SiteBuild
from tests.support.site_build import build, mini_project

GPU = "snippets/demo/on_gpu.py"
SOURCE = """\
# needs: cuda
# --8<-- [start:device]
import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(0)
x = torch.ones(2, device=device)
print(f"x on {x.device}")
# --8<-- [end:device]
"""
PAGE = f'# Demo\n\n=== "CUDA"\n\n    ```py title="on_gpu.py"\n    --8<-- "{GPU}:device"\n    ```\n'


@pytest.fixture
def project(tmp_path):
    return mini_project(tmp_path, PAGE, {GPU: SOURCE})


def page(project, **env) -> str:
    run = build(project, **env)
    assert run.returncode == 0, run.stderr
    return (project / "site" / "index.html").read_text()


def test_without_a_recording_the_block_says_it_has_not_been_run(project):
    shown = page(project)
    assert "Not yet run on an NVIDIA GPU" in shown and 'data-needs="cuda"' in shown
    assert "ptx-output" not in shown


def test_a_recording_is_shown_with_its_provenance(project, monkeypatch):
    record(project, "cuda", stand_in=True)
    data = json.loads(recording_file(project, "cuda").read_text())
    assert data["provenance"]["stand_in"] is True and GPU in data["results"]
    with pytest.raises(BuildFailure, match="made by a CPU standing in for the device"):
        SiteBuild(project, project / "docs").run()  # a stand-in never reaches a published page
    shown = page(project, **{ALLOW_STAND_IN: "1"})
    assert "x on cpu" in shown and "ptx-recorded" in shown
    assert "recorded on a CPU standing in (not a GPU) with torch 2.13.0" in shown


def test_a_recording_from_another_torch_says_so(project):
    record(project, "cuda", stand_in=True)
    file = recording_file(project, "cuda")
    data = json.loads(file.read_text())
    data["provenance"]["torch"] = "2.99.0+cu130"
    file.write_text(json.dumps(data))
    shown = page(project, **{ALLOW_STAND_IN: "1"})
    assert "with torch 2.99.0+cu130 on" in shown
    assert "not the torch 2.13.0 of the rest of the page" in shown


def test_a_recording_of_older_code_is_not_shown(project):
    record(project, "cuda", stand_in=True)
    (project / GPU).write_text(SOURCE.replace("x on", "x lives on"))
    shown = page(project, **{ALLOW_STAND_IN: "1"})
    assert "Not yet run on an NVIDIA GPU" in shown and "ptx-output" not in shown


def test_recording_refuses_a_machine_without_the_device(project):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(RuntimeError, match="no CUDA device"):
        record(project, "cuda")
