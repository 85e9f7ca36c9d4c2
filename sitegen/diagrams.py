"""Loop diagrams: a ```diagram fence on a page becomes an inline, accessible SVG at build time.

    title: One epoch of training           the alt text, also drawn at the top (required)
    cycle:                                 or `chain:` (exactly one), then two or more steps
    - model.train()                        a step is code, drawn in monospace ...
    - loss.backward()  | backpropagation   ... with an optional caption after `|` (`\\|`: a |)
    - "probabilities"                      ... or, in double quotes, a plain label
    repeat: next epoch                     labels a cycle's arrow back to step 1 (optional)

Steps go top to bottom, so a diagram reads on a phone. Colours come from the page's CSS (classes
`ptx-diagram-*`; `currentColor` without it), so it reads in light and dark mode. No JavaScript, no
ids, no request: the same text always gives the same bytes."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

LINE = re.compile(
    r"(?P<key>title|repeat):\s*(?P<value>\S.*)|(?P<kind>cycle|chain):|- (?P<step>.*\S.*)"
)
CODE, SMALL, TITLE = 14, 12, 15  # font sizes in SVG units (a unit is a CSS px at full size)
PAD, INSET, GAP, LANE = 12, 14, 26, 34  # margin, text inset in a box, arrow length, return lane


class DiagramError(ValueError):
    """A malformed description: `line` is where (numbered from `first_line`)."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


@dataclass(frozen=True)
class Step:
    text: str
    caption: str
    is_code: bool


@dataclass(frozen=True)
class Diagram:
    title: str
    kind: str  # "cycle" or "chain"
    steps: tuple[Step, ...]
    repeat: str = ""


def parse(text: str, first_line: int = 1) -> Diagram:
    """Read a description whose first line is numbered `first_line`; DiagramError if malformed."""
    found: dict[str, tuple[int, str]] = {}
    steps: list[Step] = []
    for number, raw in enumerate(text.splitlines(), start=first_line):
        line = raw.strip()
        match = LINE.fullmatch(line)
        if line and (not match or any(c < " " and c != "\t" for c in line)):
            expected = "'title: ...', 'cycle:', 'chain:', '- step' or 'repeat: ...'"
            raise DiagramError(number, f"expected {expected}, got {line!r}")
        key = match and (match["key"] or (match["kind"] and "kind") or "step")
        if not key:
            continue
        if key == "step" and "kind" not in found:
            raise DiagramError(number, "a step before 'cycle:' or 'chain:'")
        if key == "step":
            steps.append(_step(match["step"], number))
        elif key in found:
            raise DiagramError(number, f"a second {line.split(':')[0]!r} line")
        else:
            found[key] = (number, match["value"] or match["kind"])
    if "title" not in found:
        raise DiagramError(first_line, "no 'title: ...' line (it is the alt text)")
    where, kind = found.get("kind", (first_line, ""))
    if len(steps) < 2:
        raise DiagramError(where, "a 'cycle:' or 'chain:' needs 2 or more steps")
    repeat_line, repeat = found.get("repeat", (0, ""))
    if repeat and kind != "cycle":
        raise DiagramError(repeat_line, "'repeat:' labels the arrow back of a 'cycle:'")
    return Diagram(found["title"][1].strip(), kind, tuple(steps), repeat.strip())


def _step(text: str, number: int) -> Step:
    code, caption = (re.split(r"(?<!\\)\|", text, maxsplit=1) + [""])[:2]
    code, caption = (part.strip().replace("\\|", "|") for part in (code, caption))
    is_code = not (len(code) >= 2 and code[0] == code[-1] == '"')
    if not (code if is_code else code[1:-1].strip()):
        raise DiagramError(number, "a step with nothing to draw")
    return Step(code if is_code else code[1:-1].strip(), caption, is_code)


def describe(diagram: Diagram) -> str:
    """The steps in order, in words: the diagram's long description (its <desc>)."""
    steps = "; ".join(
        f"{n}. {s.text}" + (f" ({s.caption})" if s.caption else "")
        for n, s in enumerate(diagram.steps, start=1)
    )
    if diagram.kind == "chain":
        return f"A chain of {len(diagram.steps)} steps, top to bottom: {steps}."
    back = f" ({diagram.repeat})" if diagram.repeat else ""
    return f"A cycle of {len(diagram.steps)} steps: {steps}; then back to step 1{back}."


def diagram_svg(text: str, first_line: int = 1) -> str:
    """An inline SVG drawing the described diagram; DiagramError if it is malformed."""
    return draw(parse(text, first_line))


def draw(d: Diagram) -> str:
    """An inline SVG (role="img" with <title> and <desc>) drawing a diagram."""
    lane = LANE if d.kind == "cycle" else 0
    texts = [_width(s.text, CODE, 0.62 if s.is_code else 0.56) for s in d.steps]
    box_w = round(2 * INSET + max(140, *texts, *(_width(s.caption) for s in d.steps)))
    width = round(2 * PAD + max(box_w + lane, _width(d.title, TITLE), _width(d.repeat) + lane))
    x = round((width - lane - box_w) / 2)
    mid, y = x + box_w / 2, PAD + TITLE + 12
    out = [_text("title", width / 2, PAD + TITLE - 3, d.title, TITLE, ' font-weight="bold"')]
    for index, step in enumerate(d.steps):
        height, kind = (50 if step.caption else 34), ("code" if step.is_code else "label")
        out.append(
            f'<rect class="ptx-diagram-{kind}" x="{x}" y="{y}" width="{box_w}" height="{height}"'
            f' rx="{4 if step.is_code else height / 2:g}" fill="none" stroke="currentColor"/>'
        )
        font = ' font-family="monospace"' if step.is_code else ""
        out.append(_text(f"{kind}-text", mid, y + 22, step.text, CODE, font))
        if step.caption:
            out.append(_text("caption", mid, y + 40, step.caption))
        y += height
        if index < len(d.steps) - 1:  # an arrow down to the next step
            y += GAP
            down = f"M{mid - 5:g},{y - 8}L{mid:g},{y}L{mid + 5:g},{y - 8}Z"
            out.append(_arrow(f"M{mid:g},{y - GAP}V{y - 1}", down))
    if d.kind == "cycle":  # down, right, up the lane and left into the middle of step 1
        right, lane_x, turn = x + box_w, x + box_w + lane / 2, y + 16
        back = PAD + TITLE + 12 + (25 if d.steps[0].caption else 17)
        left = f"M{right + 8},{back - 5}L{right},{back}L{right + 8},{back + 5}Z"
        out.append(_arrow(f"M{mid:g},{y}V{turn}H{lane_x:g}V{back}H{right + 1}", left, "return"))
        y = turn + (22 if d.repeat else 0)
        if d.repeat:
            out.append(_text("caption", (mid + lane_x) / 2, turn + 18, d.repeat))
    return (
        f'<svg class="ptx-diagram" xmlns="http://www.w3.org/2000/svg" role="img" width="100%"'
        f' viewBox="0 0 {width} {y + PAD}" style="max-width:{width}px" font-family="sans-serif">'
        f"<title>{_esc(d.title)}</title><desc>{_esc(describe(d))}</desc>{''.join(out)}</svg>"
    )


def _width(text: str, size: int = SMALL, em: float = 0.56) -> float:
    """A generous estimate of a line's drawn width (average glyph width in ems: sans 0.56)."""
    return len(text) * size * em


def _text(kind: str, x: float, y: float, text: str, size: int = SMALL, extra: str = "") -> str:
    return (
        f'<text class="ptx-diagram-{kind}" x="{x:g}" y="{y:g}" text-anchor="middle"'
        f' font-size="{size}"{extra} fill="currentColor">{_esc(text)}</text>'
    )


def _arrow(line: str, head: str, kind: str = "arrow") -> str:
    return (
        f'<g class="ptx-diagram-{kind}"><path d="{line}" fill="none" stroke="currentColor"'
        f' stroke-width="1.5"/><path d="{head}" fill="currentColor"/></g>'
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
