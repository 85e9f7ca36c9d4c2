"""What the renderer decides about an output or a table, on a phone's narrow screen."""

from __future__ import annotations

import pytest

from sitegen.render import breakable_table_code, is_columns


@pytest.mark.parametrize(
    "output",
    [
        "hidden  layers  val acc\n10      2       0.975\n20      3       1.000\n",
        "epoch  250 | train loss 0.8291, acc 0.567 | val loss 0.8940\n"
        "epoch  500 | train loss 0.6016, acc 0.728 | val loss 0.6283\n",
    ],
)
def test_a_printed_table_keeps_its_columns(output):
    assert is_columns(output)


@pytest.mark.parametrize(
    "output",
    [
        "tensor([[0.4963, 0.7682],\n        [0.0885, 0.1320]])\n",  # continuation indents only
        "The loss went down.\nThen it went up again.\n",
        "one line  with  gaps\n",
    ],
)
def test_prose_tensors_and_single_lines_wrap(output):
    assert not is_columns(output)


def test_code_in_a_table_breaks_at_its_joints_and_nowhere_else():
    page = (
        "<p><code>nn.BCEWithLogitsLoss</code></p>"
        "<table><tr><td><code>nn.BCEWithLogitsLoss()</code></td><td><code>in_features</code>"
        "</td><td><code>lr=0.1</code></td></tr></table>"
    )
    assert breakable_table_code(page) == (
        "<p><code>nn.BCEWithLogitsLoss</code></p>"  # outside a table: untouched
        "<table><tr><td><code>nn.<wbr>BCEWith<wbr>Logits<wbr>Loss()</code></td>"
        "<td><code>in_<wbr>features</code></td><td><code>lr=<wbr>0.1</code></td></tr></table>"
    )
