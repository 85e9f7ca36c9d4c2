"""What a run printed, as a terminal shows it: no escape sequence and no invisible control
character reaches a page or its search index."""

from __future__ import annotations

import pytest

from sitegen.terminal import as_shown


@pytest.mark.parametrize(
    ("printed", "shown"),
    [
        ("\x1b[1m\x1b[31mbold red\x1b[0m", "bold red"),  # colours (torch's own)
        ("\x1b[?25lno cursor\x1b[2K\x1b[1A", "no cursor"),  # cursor and erasing
        ("\x1b]0;a window title\x07text", "text"),  # OSC, ended by BEL
        ("\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # a hyperlink
        ("\x1b(Bcharset", "charset"),
        ("10%\r50%\r100%", "100%"),  # a progress bar shows its last state
        ("abc\rX", "Xbc"),
        ("abcd\b\bX", "abXd"),
        ("a\r\nb", "a\nb"),
        ("\tx", "        x"),
        ("NUL\x00 BEL\x07 DEL\x7f C1\x85 ESC\x1b", "NUL\\x00 BEL\\x07 DEL\\x7f C1\\x85 ESC\\x1b"),
        ("admin\u202e\u2066 bidi", "admin\\u202e\\u2066 bidi"),
        ("\ufeffbom", "\\ufeffbom"),
        ("tensor([1., 2.])\n", "tensor([1., 2.])\n"),  # plain text as it is
        ("émoji 🧑‍💻 and ünïcode", "émoji 🧑‍💻 and ünïcode"),
    ],
)
def test_output_as_a_terminal_shows_it_with_controls_made_visible(printed, shown):
    assert as_shown(printed) == shown


def test_a_tab_expands_to_the_width_asked_for():
    assert as_shown("a\tb", tabsize=4) == "a   b"
