"""benchmarks/main_path.py counts what a reader reads: prose words and code lines on the main
path, the snippets' sections expanded, collapsed boxes apart, and notebooks the same way."""

from __future__ import annotations

import json

from benchmarks.main_path import chapters, count_page, notebook_counts, words
from sitegen.pagescan import scan

SNIPPET = "# --8<-- [start:one]\nimport torch\n\nx = torch.ones(2)\n# --8<-- [end:one]\n"


def test_words_leave_out_code_blocks_link_targets_tags_and_keywords():
    text = (
        '!!! tip "Key takeaway"\n    Two words.\n\n'
        "See [the page](https://example.org/a-b-c) and <b>this</b>, `x.item()`.\n\n"
        "```py\nnot = counted + at_all\n```\n"
    )
    # Key takeaway Two words See the page and this x.item
    assert sum(words(piece.text) for piece in scan(text).pieces) == 10


def test_a_page_counts_its_main_path_and_its_boxes_apart_with_includes_expanded(tmp_path):
    (tmp_path / "snippets" / "x").mkdir(parents=True)
    (tmp_path / "snippets" / "x" / "a.py").write_text(SNIPPET)
    include = '```py title="a.py"\n--8<-- "snippets/x/a.py:one"\n```\n'
    page = (
        "# Title\n\nOne two three.\n\n" + include + "\n"
        '??? note "Going further"\n\n    Four five.\n\n    ' + include.replace("\n", "\n    ")
    )
    main, boxed = count_page(tmp_path, scan(page))
    assert (main.words, main.code_lines, main.blocks) == (6, 2, 1)  # with the box's title
    assert (boxed.words, boxed.code_lines, boxed.blocks) == (2, 2, 1)


def test_notebooks_count_markdown_words_and_code_lines(tmp_path):
    cells = [
        {"cell_type": "markdown", "source": ["# A heading\n", "Some ![img](x.png) text."]},
        {"cell_type": "code", "source": ["import torch\n", "\n", "torch.ones(1)\n"]},
    ]
    (tmp_path / "00_pytorch_fundamentals.ipynb").write_text(json.dumps({"cells": cells}))
    for name in ("01_pytorch_workflow.ipynb", "02_pytorch_classification.ipynb"):
        (tmp_path / name).write_text(json.dumps({"cells": []}))
    counts = notebook_counts(tmp_path)
    assert counts["00_pytorch_fundamentals.ipynb"] == {"words": 4, "code_lines": 2, "blocks": 1}


def test_the_chapters_are_read_from_the_nav_in_order():
    pages = chapters()
    assert pages[0] == "fundamentals.md" and "linear-regression.md" in pages
    assert pages.index("classification/binary.md") < pages.index("classification/multiclass.md")
