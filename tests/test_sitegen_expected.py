"""The generated pages and the renderers, against expected files in tests/expected/: each takes
plain values, so each is checked on its own, without a build. A change to what one of them writes
shows as a diff of its file; `PTX_UPDATE_EXPECTED=1 pytest tests/test_sitegen_expected.py`
rewrites the files, to review with `git diff` before committing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sitegen import render
from sitegen.bench_page import bench_markdown
from sitegen.errors_page import ErrorShown, Explanation, error_index_markdown
from sitegen.figures import Figure, apply_site_style, save_figure
from sitegen.reference import reference_pages
from sitegen.results import FileResult, SectionResult

EXPECTED = Path(__file__).parent / "expected"


def expect(name: str, actual: str | bytes) -> None:
    """`actual` is what tests/expected/<name> holds (or becomes, with PTX_UPDATE_EXPECTED=1)."""
    file = EXPECTED / name
    data = actual.encode() if isinstance(actual, str) else actual
    if os.environ.get("PTX_UPDATE_EXPECTED"):
        file.write_bytes(data)
    assert file.exists(), f"no {file}: run with PTX_UPDATE_EXPECTED=1 to write it, then review it"
    assert data == file.read_bytes(), f"{name} changed: see the diff, or update it on purpose"


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="300pt" height="150pt"><path d="M0 0"/></svg>'
PRINTED = SectionResult(
    "train", output="epoch 0 | loss 0.7570\n<b>not bold</b>\tend\n", seconds=0.5
)
RAISED = SectionResult(
    "wrong_shape",
    output="about to multiply\n",
    error=("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (7x7 and 1x7)"),
)
MEASURED = SectionResult("timing", output="a * b   1.309 ms\n", varies=True)
DREW = SectionResult("plot", figures=[Figure("Loss curves", "svg", SVG)])


@pytest.mark.parametrize("section", [PRINTED, RAISED, MEASURED, DREW], ids=lambda s: s.name)
def test_an_output_block_and_its_figures(section):
    shown = render.output_html("snippets/chapter/demo.py", section, "chapter")
    expect(f"output-{section.name}.html", shown + "\n")


def test_a_recorded_output_names_the_machine_and_a_block_not_run_says_so():
    recorded = {
        "device": "cuda",
        "device_name": "NVIDIA H200",
        "driver": "570.1",
        "cuda": "12.8",
        "torch": "2.12.0",
        "date": "2026-12-01",
    }
    label = render.recorded_label(recorded, pinned_torch="2.13.0")
    shown = render.output_html("snippets/chapter/gpu.py", PRINTED, "chapter", label, "cuda")
    expect("output-recorded.html", shown + "\n\n" + render.not_run_html("cuda") + "\n")


def test_the_provenance_footer():
    runs = [
        FileResult("snippets/chapter/demo.py", [PRINTED], seconds=1.234, cpu_seconds=1.0),
        FileResult("snippets/chapter/fast.py", [PRINTED], seconds=0.05, cpu_seconds=0.04),
    ]
    footer = render.provenance_html(
        "2026-12-03", "2.13.0+cpu", "cpu", runs, {"snippets/chapter/fast.py"}
    )
    expect("provenance.html", footer + "\n")


def test_the_error_index():
    shape = Explanation(
        title="mat1 and mat2 shapes cannot be multiplied",
        match=["mat1 and mat2 shapes"],
        cause="The inner sizes of a matrix product differ.",
        fix="x @ y.T",
        note="The shape rule: `(n, k) @ (k, m)`.",
    )
    shape.shown = [
        ErrorShown(
            "RuntimeError",
            "mat1 and mat2 shapes cannot be multiplied (7x7 and 1x7)",
            "fundamentals.md#out-fundamentals-matmul-wrong",
            "Fundamentals › The shape rule",
        )
    ]
    gpu = Explanation(
        title="Expected all tensors to be on the same device",
        match=["same device"],
        cause="A tensor on the GPU met one on the CPU.",
        fix="x = x.to(device)",
        recorded="cuda",
        see="fundamentals.md#devices",
    )
    loaded = Explanation(
        title="Expected state_dict to be dict-like, got <class 'str'> (a *path*?)",
        match=["dict-like"],
        cause="`load_state_dict` was given a path.",
        fix="model.load_state_dict(torch.load(path, weights_only=True))",
    )
    slots: list[str] = []

    def slot(block: str) -> str:
        slots.append(block)
        return f"SLOT{len(slots)}"

    page = error_index_markdown([shape, gpu, loaded], "2.13.0", slot)
    expect("errors.md", page + "\n<!-- slots -->\n" + "\n".join(slots) + "\n")


def test_the_build_report(tmp_path):
    (tmp_path / "benchmarks").mkdir()
    latest = {
        "measured_on": "2026-12-03",
        "machine": {"python": "3.11.7", "cpu cores": 2},
        "rows": [
            {
                "group": "Build",
                "label": "cold full build",
                "value": 14.4,
                "unit": "s",
                "budget": "≤ 7.7 s",
                "met": False,
            },
            {
                "group": "Tests",
                "label": "`make quick`",
                "value": 15.2,
                "unit": "s",
                "budget": "≤ 30 s",
                "met": True,
            },
        ],
        "snippets": [
            {
                "snippet": "classification/spirals_fit.py",
                "seconds": 1.9,
                "cpu_seconds": 3.1,
                "met": False,
            },
        ],  # fmt: skip
        "pages": {
            "fundamentals/": {
                "gzip_kib": 120.4,
                "performance": 0.98,
                "accessibility": 1.0,
                "tbt_ms": 150,
                "met": True,
            },
        },  # fmt: skip
    }
    (tmp_path / "benchmarks" / "latest.json").write_text(json.dumps(latest))
    expect("build.md", bench_markdown(tmp_path))
    (tmp_path / "benchmarks" / "latest.json").unlink()
    expect("build-none.md", bench_markdown(tmp_path))


PACKAGE = {
    "__init__.py": '"""A package."""\n\nfrom ptx.device import get_device\n\n__all__ = ["get_device"]\n',
    "device.py": (
        '"""Devices."""\n\n\ndef get_device() -> str:\n    """The device to use.\n\n'
        "    Taught in: Fundamentals (fundamentals.md).\n"
        '    """\n    return "cpu"\n\n\ndef _private():\n    pass\n'
    ),
}


def test_the_api_reference_pages(tmp_path):
    (tmp_path / "ptx").mkdir()
    for name, text in PACKAGE.items():
        (tmp_path / "ptx" / name).write_text(text)
    for module in ("data", "models", "steps", "engine", "history", "metrics", "plotting"):
        (tmp_path / "ptx" / f"{module}.py").write_text('"""Empty."""\n')
    (tmp_path / "ptx" / "checkpoint.py").write_text('"""Empty."""\n')
    pages = reference_pages(tmp_path)
    expect(
        "reference.md", "".join(f"<!-- {uri} -->\n{text}" for uri, text in sorted(pages.items()))
    )


def test_a_figure_is_the_same_svg_every_time():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    apply_site_style()
    figure, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1, 2], [0.7, 0.3, 0.1])
    ax.set_title("Loss curves")
    saved = save_figure(figure)
    plt.close(figure)
    assert (saved.alt, saved.suffix) == ("Loss curves", "svg")
    expect("figure.svg", saved.data)
