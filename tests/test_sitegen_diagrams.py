"""Loop diagrams: a small text description becomes an accessible, deterministic inline SVG."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sitegen.diagrams import Step, diagram_svg, parse
from sitegen.page_checks import check_pages
from sitegen.page_rewrite import rewrite
from sitegen.pagescan import scan

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
TRAINING = """\
title: One epoch of training
cycle:
- model.train()
- y_pred = model(X_train)  | forward pass
- loss = loss_fn(y_pred, y_train)
- optimizer.zero_grad()
- loss.backward()  | backpropagation
- optimizer.step()
repeat: next epoch
"""
BINARY = """\
title: Logits to labels
chain:
- "logits"
- torch.sigmoid(y_logits)
- "probabilities"  | between 0 and 1
- y_probs > 0.5  | or torch.round
- "labels"
"""


def test_a_cycle_is_parsed_into_code_steps_captions_and_the_repeat_label():
    diagram = parse(TRAINING)
    assert (diagram.title, diagram.kind, diagram.repeat) == (
        "One epoch of training",
        "cycle",
        "next epoch",
    )
    assert diagram.steps[:2] == (
        Step("model.train()", "", True),
        Step("y_pred = model(X_train)", "forward pass", True),
    )
    assert [s.text for s in diagram.steps][-1] == "optimizer.step()"
    assert len(diagram.steps) == 6


def test_a_chain_has_plain_labels_in_quotes_and_an_escaped_pipe_stays_in_the_code():
    diagram = parse(BINARY + "- a \\| b  | bitwise or\n")
    assert diagram.kind == "chain" and diagram.repeat == ""
    assert [(s.text, s.is_code) for s in diagram.steps[:3]] == [
        ("logits", False),
        ("torch.sigmoid(y_logits)", True),
        ("probabilities", False),
    ]
    assert diagram.steps[-1] == Step("a | b", "bitwise or", True)


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # well-formed XML, or this raises


def test_the_svg_is_an_image_whose_title_and_desc_say_the_steps_in_order():
    root = _tree(diagram_svg(TRAINING))
    assert root.get("role") == "img"
    title, desc = list(root)[:2]  # the first children name and describe it
    assert (title.tag, title.text) == (f"{SVG}title", "One epoch of training")
    assert desc.tag == f"{SVG}desc"
    assert desc.text == (
        "A cycle of 6 steps: 1. model.train(); 2. y_pred = model(X_train) (forward pass); "
        "3. loss = loss_fn(y_pred, y_train); 4. optimizer.zero_grad(); "
        "5. loss.backward() (backpropagation); 6. optimizer.step(); "
        "then back to step 1 (next epoch)."
    )
    chain = _tree(diagram_svg(BINARY)).find(f"{SVG}desc").text
    assert chain.startswith("A chain of 5 steps, top to bottom: 1. logits; 2. torch.sigmoid")


def test_steps_are_drawn_top_to_bottom_in_code_or_label_boxes_and_only_a_cycle_returns():
    root = _tree(diagram_svg(BINARY))
    rects = root.findall(f"{SVG}rect")
    assert [r.get("class") for r in rects] == [
        "ptx-diagram-label",
        "ptx-diagram-code",
        "ptx-diagram-label",
        "ptx-diagram-code",
        "ptx-diagram-label",
    ]
    tops = [float(r.get("y")) for r in rects]
    assert tops == sorted(tops) and len({r.get("x") for r in rects}) == 1  # one column
    assert not root.findall(f".//{SVG}g[@class='ptx-diagram-return']")
    assert len(root.findall(f".//{SVG}g[@class='ptx-diagram-arrow']")) == 4
    cycle = _tree(diagram_svg(TRAINING))
    assert len(cycle.findall(f".//{SVG}g[@class='ptx-diagram-return']")) == 1


def test_it_scales_to_its_container_and_grows_with_its_longest_step():
    root = _tree(diagram_svg(TRAINING))
    width = int(root.get("viewBox").split()[2])
    assert root.get("width") == "100%" and root.get("style") == f"max-width:{width}px"
    longer = TRAINING.replace("- model.train()", "- model.train()" + " # a long comment" * 3)
    assert int(_tree(diagram_svg(longer)).get("viewBox").split()[2]) > width + 100


def test_colours_come_from_css_classes_with_current_color_as_the_fallback():
    svg = diagram_svg(TRAINING)
    assert not re.search(r"#[0-9a-fA-F]{3,8}\b|rgb|hsl", svg)  # no fixed colour anywhere
    assert 'fill="currentColor"' in svg and 'stroke="currentColor"' in svg
    assert "<script" not in svg and " id=" not in svg  # nothing to run, no ids to collide


def test_text_is_escaped_everywhere_it_appears():
    text = 'title: <b>"A" & B</b>\nchain:\n- x < y & z  | "<i>"\n- "<label>"\n'
    svg = diagram_svg(text)
    assert "<b>" not in svg and "<i>" not in svg and "<label>" not in svg
    root = _tree(svg)
    assert root.find(f"{SVG}title").text == '<b>"A" & B</b>'
    drawn = [t.text for t in root.iter(f"{SVG}text")]
    assert drawn == ['<b>"A" & B</b>', "x < y & z", '"<i>"', "<label>"]


def test_the_same_text_gives_the_same_bytes_in_another_python():
    code = (
        "import sys; from sitegen.diagrams import diagram_svg; print(diagram_svg(sys.stdin.read()))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            input=TRAINING,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {diagram_svg(TRAINING) + "\n"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cycle:\n- a\n- b\n", "line 1: no 'title: ...' line"),
        ("title: T\n- a\n- b\n", "line 2: a step before 'cycle:' or 'chain:'"),
        ("title: T\ncycle:\n- a\n", "line 2: a 'cycle:' or 'chain:' needs 2 or more steps"),
        ("title: T\n\nchain:\n- a\n- b\nchain:\n", "line 6: a second 'chain' line"),
        ("title: T\ntitle: U\n", "line 2: a second 'title' line"),
        ("title: T\ncycle:\n- a\n* b\n", "line 4: expected 'title: ...', 'cycle:', 'chain:'"),
        ('title: T\ncycle:\n- a\n- ""  | empty\n', "line 4: a step with nothing to draw"),
        ("title: T\nchain:\n- a\n- b\nrepeat: again\n", "line 5: 'repeat:' labels the arrow"),
        ("title: T\nchain: a\n", "line 2: expected"),
    ],
)
def test_a_malformed_description_is_a_value_error_naming_its_line(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        diagram_svg(text)


PAGE = """\
# A page

!!! note "Inside a box"

    ```diagram
    title: Boxed
    chain:
    - a
    - b
    ```

````text
```diagram
title: Shown as text
```
````

```diagram
{body}```
"""


class _Markers:
    """Stands in for the build's Slots: each diagram's SVG, and the marker put in its place."""

    def __init__(self):
        self.placed: list[str] = []

    def add(self, page: str, svg: str) -> str:
        self.placed.append(svg)
        return f"MARKER{len(self.placed)}"


def _problems(text: str) -> list[tuple[int, str]]:
    """The page checks' complaints about a page's diagrams: (page line, reason)."""
    checks = check_pages([scan(text, "index.md")], {}, lambda *_: 0, lambda _: "", set())
    return [(e.line, e.message.removeprefix("diagram: ")) for e in checks.errors]


def _rendered(text: str) -> tuple[str, list[str]]:
    page = scan(text, "index.md")
    checks = check_pages([page], {}, lambda *_: 0, lambda _: "", set())
    markers = _Markers()
    out = rewrite(page, markers, lambda _: "", lambda _: "", lambda *_: ("", ""), checks.diagrams)
    return out, markers.placed


def test_fences_on_a_page_become_markers_and_a_fence_inside_a_fence_stays_text():
    result, placed = _rendered(PAGE.format(body=BINARY))
    assert [_tree(svg).find(f"{SVG}title").text for svg in placed] == [
        "Boxed",
        "Logits to labels",
    ]
    assert "\n    MARKER1\n" in result and "\nMARKER2\n" in result
    assert "```diagram\ntitle: Shown as text\n```" in result


def test_every_malformed_diagram_of_a_page_is_reported_with_its_page_line():
    page = PAGE.format(body="title: T\nchain:\n- a\n- b\nrepeat: no\n").replace(
        "    - b\n", '    - b\n    - ""\n'
    )
    lines = page.splitlines()
    empty_step, repeat = lines.index('    - ""') + 1, lines.index("repeat: no") + 1
    assert _problems(page) == [
        (empty_step, "a step with nothing to draw"),
        (repeat, "'repeat:' labels the arrow back of a 'cycle:'"),
    ]
    assert _problems(PAGE.format(body=BINARY)) == []


def test_a_quoted_copy_of_a_diagram_above_it_stays_text():
    fence = "```diagram\n" + BINARY + "```\n"
    page = f"````text\n{fence}````\n\n{fence}"
    assert _rendered(page)[0] == f"````text\n{fence}````\n\n\nMARKER1\n\n"
