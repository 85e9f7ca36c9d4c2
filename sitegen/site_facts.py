"""The facts of one build of the site that pages quote: where it is published, when and with which
torch it was built, the helper's wheel and the commands that install it (`{{ site:name }}`)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from benchmarks import main_path
from sitegen.helper_wheel import wheel
from sitegen.pagescan import ScannedPage
from sitegen.results import AuthorError
from sitegen.settings import Project, project
from sitegen.sources import Source


def build_date() -> str:
    """Today (UTC), or the day SOURCE_DATE_EPOCH names, for a reproducible build."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = (
        datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
        if epoch
        else datetime.datetime.now(datetime.UTC)
    )
    return today.date().isoformat()


def installed_torch() -> str:
    try:
        return version("torch")
    except PackageNotFoundError:
        return "(not installed)"


@dataclass
class SiteFacts:
    root: Path
    site_url: str
    repo_url: str | None
    project: Project
    build_date: str
    torch_version: str  # the torch this build runs with (the pin is `project.pin("torch")`)
    _wheel: tuple[str, bytes] | None = None
    _minutes: dict[str, str] = field(default_factory=dict)  # chapter -> minutes, once per build
    # the build's own page scans and sources, filled as it reads them: counted, not read again
    scans: Mapping[str, ScannedPage] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)

    @classmethod
    def read(cls, root: Path, site_url: str, repo_url: str | None = None) -> SiteFacts:
        site_url = site_url if site_url.endswith("/") else site_url + "/"
        return cls(root, site_url, repo_url, project(root), build_date(), installed_torch())

    @property
    def wheel(self) -> tuple[str, bytes]:
        """(file name, bytes) of the helper's wheel, built once per build."""
        if self._wheel is None:
            self._wheel = wheel(self.root)
        return self._wheel

    @property
    def wheel_name(self) -> str:
        return self.wheel[0]

    @property
    def wheel_url(self) -> str:
        return f"{self.site_url}downloads/{self.wheel_name}"

    def pinned(self, name: str) -> str:
        """The version the lock file pins for a package."""
        try:
            return self.project.pin(name)
        except KeyError:
            raise AuthorError("constraints.txt", None, f"{name} is not pinned") from None

    def value(self, name: str) -> str:
        """What `{{ site:name }}` stands for on a page (in code blocks too: they are commands).
        `minutes_<chapter>` is the time to read a chapter's main path (benchmarks/main_path.py)."""
        if name.startswith("minutes_"):
            return self.reading_minutes(name.removeprefix("minutes_"))
        values = {
            "site_url": lambda: self.site_url,
            "wheel_url": lambda: self.wheel_url,
            "wheel_name": lambda: self.wheel_name,
            "helper": lambda: self.project.distribution,
            "torch": lambda: self.pinned("torch"),
            "repo_url": lambda: self.repo_url or "",
            "install_helper": self.install_from_repository,
            "words_per_minute": lambda: str(main_path.WORDS_PER_MINUTE),
        }
        if name not in values:
            raise AuthorError(
                "docs", None, f"{{{{ site:{name} }}}} is not a site value ({', '.join(values)})"
            )
        return values[name]()

    def reading_minutes(self, chapter: str) -> str:
        """`{{ site:minutes_autograd }}`: counted from the chapter's page as it is now."""
        if chapter not in self._minutes:
            try:
                page = main_path.chapter_named(self.root, chapter)
            except KeyError as error:
                message = f"{{{{ site:minutes_{chapter} }}}}: {error.args[0]}"
                raise AuthorError("docs", None, message) from None
            minutes = main_path.reading_minutes(self.root, page, self.scans.get(page), self.sources)
            self._minutes[chapter] = str(minutes)
        return self._minutes[chapter]

    def install_from_repository(self) -> str:
        """Where the site has a source repository: installing the helper from it instead."""
        if not self.repo_url:
            return ""
        return (
            "The helper package can also be installed from the site's source repository; it is "
            "the same package:\n\n```shell\n"
            f'pip install "{self.project.distribution} @ git+{self.repo_url.rstrip("/")}"\n```'
        )
