"""Build the site once per test run (shared by the pytest-xdist workers) and mini sites for tests."""

from __future__ import annotations

import fcntl
import io
import logging
import os
import shutil
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "site"
MKDOCS = [sys.executable, "-m", "mkdocs"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# one id per test run: pytest-xdist gives its workers a shared one
SESSION = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def build_site() -> Path:
    """Build the real site strictly into site/, once per test session, whichever worker asks first.

    Its site_url is http://127.0.0.1:<a free port>/ (`site_origin()`), where the reader tests
    serve it, so the absolute addresses on its pages (the helper's wheel) are the served ones."""
    lock_path = ROOT / "build" / "site.lock"
    lock_path.parent.mkdir(exist_ok=True)
    stamp = ROOT / "build" / "site.session"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (stamp.exists() and stamp.read_text() == SESSION and (SITE / "index.html").exists()):
            PORT_FILE.write_text(str(_free_port()))
            run = subprocess.run(
                [*MKDOCS, "build", "--strict", "-d", str(SITE)],
                cwd=ROOT,
                env=ENV | {"SITE_URL": site_origin() + "/"},
                capture_output=True,
                text=True,
            )
            if run.returncode != 0:
                raise AssertionError(f"mkdocs build --strict failed:\n{run.stdout}\n{run.stderr}")
            stamp.write_text(SESSION)
    return SITE


PORT_FILE = ROOT / "build" / "site.port"


def site_origin() -> str:
    """Where the test build of the site says it is served: http://127.0.0.1:<port>."""
    return f"http://127.0.0.1:{PORT_FILE.read_text().strip()}"


def _free_port() -> int:
    """A free port below the range the kernel hands out for port 0 (so no test server that asks
    for any free port can take it before the reader tests serve the site there)."""
    low, _ = map(int, Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split())
    start = 20_000 + int(SESSION[:8], 16) % 10_000
    for port in range(start, low):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the test site")


def mini_project(tmp_path: Path, page: str, snippets: dict[str, str]) -> Path:
    """A small project with the real hooks, theme, Markdown settings, helper package and lock:
    docs/index.md plus the given files (snippets, data files...)."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_Config)
    config["plugins"] = ["search"]
    # the real pages (and the generated API reference) link to pages a mini project does not have
    config["validation"] = config.get("validation", {}) | dict.fromkeys(
        ("not_found", "anchors", "omitted_files"), "info"
    )
    config["nav"] = [{"Home": "index.md"}, {"Error index": "errors.md"}, {"Built": "build.md"}]
    config["hooks"] = [str(ROOT / "sitegen" / "hooks.py")]
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["watch"] = []
    config.pop("extra_javascript", None)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    shutil.copytree(ROOT / "docs" / "assets", tmp_path / "docs" / "assets")
    shutil.copytree(ROOT / "ptx", tmp_path / "ptx", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "docs" / "index.md").write_text(page)
    (tmp_path / "errors.yml").write_text(  # one explanation for any error (or none) a page shows
        '- {title: "Any error", match: [""], cause: "A test.", fix: "pass", recorded: cuda, '
        'see: "index.md"}\n'
    )
    for relative, source in snippets.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(source)
    return tmp_path


class _Config(yaml.SafeLoader):
    """mkdocs.yml's `!ENV [NAME, default]` read as its default (a mini project is local)."""


_Config.add_constructor(
    "!ENV",
    lambda loader, node: (
        (loader.construct_sequence(node) or [None, None])[-1]
        if isinstance(node, yaml.SequenceNode)
        else None
    ),
)


def build(project: Path, site: str = "site", **env: str) -> subprocess.CompletedProcess:
    """MkDocs' strict build of a project, as `mkdocs build --strict` runs it, but in this process:
    its sources run in children of this process's warm fork server (a new process would import
    torch again for its own). The result carries the build's log as its stderr."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    logger = logging.getLogger("mkdocs")
    saved_level, saved_environ = logger.level, dict(os.environ)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    os.environ.update({"NO_MKDOCS_2_WARNING": "1", **env})
    saved_cwd = os.getcwd()
    os.chdir(project)  # pymdownx.snippets reads includes relative to the working directory
    returncode = 0
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / site), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (Abort, MkDocsException) as error:
        log.write(f"{error}\n")
        returncode = 1
    finally:
        os.chdir(saved_cwd)
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
        os.environ.clear()
        os.environ.update(saved_environ)
    return subprocess.CompletedProcess(
        ["mkdocs", "build", "--strict"], returncode, "", log.getvalue()
    )
