"""The buttons at the top of an exercise page: the two notebook downloads, and Colab."""

from __future__ import annotations

import posixpath

from sitegen import notebooks
from sitegen.sources import Source


def actions(source: Source, repo_url: str | None) -> str:
    """The buttons, as Markdown, and a line on what the notebooks' first cell does."""
    here = posixpath.dirname(notebooks.page_uri(source))
    solved, blank = (
        posixpath.relpath(notebooks.download_uri(source, b), here) for b in (False, True)
    )
    buttons = [
        f'[Download the exercises (.ipynb)]({blank}){{ .md-button .md-button--primary download="{blank}" }}',
        f'[Download with solutions and outputs (.ipynb)]({solved}){{ .md-button download="{solved}" }}',
    ]
    if colab := colab_url(source, repo_url):
        buttons.append(f"[Open in Colab]({colab}){{ .md-button }}")
    run = posixpath.relpath("run.md", here)
    return (
        " ".join(buttons) + "\n\nThe first cell of each installs what the notebook needs if it "
        f"is missing; [Run it yourself]({run}) has the rest."
    )


def colab_url(source: Source, repo_url: str | None) -> str | None:
    """Colab opens notebooks from GitHub: the published ones live on the `notebooks` branch."""
    if not repo_url or "github.com/" not in repo_url:
        return None
    repository = repo_url.rstrip("/").split("github.com/", 1)[1].removesuffix(".git")
    return (
        f"https://colab.research.google.com/github/{repository}/blob/notebooks/"
        f"{notebooks.download_uri(source)}"
    )
