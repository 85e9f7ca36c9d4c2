"""Save matplotlib figures small and byte-for-byte repeatable, with alt text from their titles."""

from __future__ import annotations

import io
from dataclasses import dataclass

from sitegen.settings import SETTINGS

SITE_RC = {
    "svg.hashsalt": "pytorch-exercises",  # fixed ids inside SVGs: identical bytes every build
    "svg.fonttype": "none",  # keep text as text: smaller files, sharp at any zoom
    "figure.dpi": 100,
    "savefig.dpi": 150,  # for the rasterized parts of SVGs (dense scatters, filled contours)
    "figure.figsize": (6.4, 4.0),
    "axes.grid": True,
    "grid.alpha": 0.3,
}


@dataclass(frozen=True)
class Figure:
    """One saved figure: its alt text, file suffix and bytes."""

    alt: str
    suffix: str  # "svg" or "png"
    data: bytes


class UntitledFigure(Exception):
    """A figure has no title, so it would have no alt text."""


def apply_site_style() -> None:
    """Reset matplotlib to its defaults plus the site's settings, as a fresh process would have."""
    import matplotlib

    matplotlib.rcdefaults()
    matplotlib.rcParams.update(SITE_RC)


def alt_text(fig) -> str:
    """The figure's suptitle, else the titles of its Axes joined by '; '."""
    suptitle = fig._suptitle.get_text().strip() if fig._suptitle is not None else ""
    if suptitle:
        return suptitle
    titles = [
        ax.get_title(loc).strip()
        for ax in fig.axes
        for loc in ("center", "left", "right")
        if ax.get_title(loc).strip()
    ]
    if not titles:
        raise UntitledFigure("give the figure a suptitle or its Axes titles: they are its alt text")
    return "; ".join(titles)


def save_figure(fig) -> Figure:
    """Render a figure as SVG, or as an optimised PNG when that is much smaller."""
    alt = alt_text(fig)
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    # text and lines stay sharper in SVG, so it wins close calls
    if svg.tell() <= SETTINGS.svg_budget_bytes:
        return Figure(alt, "svg", svg.getvalue())
    png = _optimised_png(fig)
    if 2 * len(png) < svg.tell():
        return Figure(alt, "png", png)
    return Figure(alt, "svg", svg.getvalue())


def _optimised_png(fig) -> bytes:
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(
        raw, format="png", dpi=SETTINGS.png_dpi, bbox_inches="tight", metadata={"Software": None}
    )
    raw.seek(0)
    image = Image.open(raw).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="png", optimize=True)
    return out.getvalue()
