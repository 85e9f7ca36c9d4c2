"""What a run printed, as a terminal shows it and a page may hold it.

Escape sequences (colours, cursor movement, window titles, hyperlinks) are dropped; a carriage
return or a backspace moves back over the line as in a terminal (a progress bar shows its last
state); tabs are expanded; and every other control character (NUL, BEL, a lone ESC, C1 controls)
and every invisible bidirectional control (which could make code read differently from how it
runs) is made visible as its Python escape, `\\x07` or `\\u202e`. The build cleans outputs,
error messages and values with this, and the tests compare what a reader's Python prints
through it too.
"""

from __future__ import annotations

import re

ESCAPE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]                 # CSI: colours, cursor movement, erasing
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?      # OSC: window titles, hyperlinks
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?           # DCS, SOS, PM and APC strings
    | \x1b[ -/]*[0-~]                         # the other escapes (character sets, ...)
    | \x9b[0-?]*[ -/]*[@-~]                   # an 8-bit CSI
    """,
    re.VERBOSE,
)
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff{BIDI}]")


def as_shown(text: str, tabsize: int = 8) -> str:
    """`text` as a terminal would show it, every control character left made visible."""
    text = ESCAPE.sub("", text)
    lines = [_overwritten(line.expandtabs(tabsize)) for line in text.split("\n")]
    return INVISIBLE.sub(_visible, "\n".join(lines))


def _overwritten(line: str) -> str:
    """A carriage return goes back to the start of the line and a backspace back one column,
    and what follows is written over what was there."""
    if "\r" not in line and "\b" not in line:
        return line
    cells: list[str] = []
    column = 0
    for character in line:
        if character == "\r":
            column = 0
        elif character == "\b":
            column = max(0, column - 1)
        else:
            if column < len(cells):
                cells[column] = character
            else:
                cells.append(character)
            column += 1
    return "".join(cells)


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
