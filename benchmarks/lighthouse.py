"""Lighthouse (mobile) over every page of a built site: `python -m benchmarks.lighthouse SITE_DIR
--out FILE.json`.

The site is served on 127.0.0.1 from a thread, at a root path and with its text files gzipped as
GitHub Pages sends them (`--no-gzip`: plain, as `python -m http.server` does), and
each page audited, one at a time, by the Lighthouse pinned in tools/package.json
(`npm ci --prefix tools`) driving Debian's Chromium: the mobile form factor, Lighthouse's default
(simulated) throttling, the performance and accessibility categories. With `--runs N` each page
is audited N times and the run with the median performance score is kept (the other runs' scores
are recorded too): on a 2-core machine the total blocking time of one run varies by ±30 %, and
far more with other work running: before each run the script waits (up to --idle-wait seconds)
for the CPU to be idle, and records how busy it was and Lighthouse's CPU benchmark index.

The JSON has, per page: the two scores, TBT, LCP, FCP, CLS, Speed Index, TTI, the DOM size, the
transferred bytes, where the main thread spent its time, the audits that cost the most
(render-blocking resources, unused CSS/JS, long tasks, ...) and the failing accessibility audits.
`--reports DIR` keeps each page's full Lighthouse report (JSON) as well.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from benchmarks.lighthouse_summary import CATEGORIES, summarize
from tests.support.browser_support import CHROMIUM, CHROMIUM_ARGS, built_pages, page_slug

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools" / "node_modules" / "lighthouse" / "cli" / "index.js"
# The site's pages must stay fast on a slow phone: Lighthouse's mobile default slows the CPU 4x;
# we audit at 8x (a budget phone, or a mid-range one on a host half as fast as this one).
CPU_SLOWDOWN = 8
CHROME_FLAGS = ["--headless=new", *CHROMIUM_ARGS]


# What GitHub Pages sends gzipped: without it Lighthouse's "text compression" audit alone costs a
# chapter about 1.5 s of FCP and LCP (the search index, Material's CSS and JS), which a reader
# of the real site never pays.
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map", ".inv"}


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text ones gzipped when the browser accepts it (as GitHub Pages does)."""

    gzip_text = True
    _cache: dict[tuple[str, float], bytes] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.gzip_text and accepts and os.path.isfile(path)):
            return super().do_GET()
        if os.path.splitext(path)[1] not in COMPRESSED:
            return super().do_GET()
        key = (path, os.path.getmtime(path))
        body = self._cache.get(key)
        if body is None:
            with open(path, "rb") as file:
                body = self._cache[key] = gzip.compress(file.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "max-age=600")  # GitHub Pages' caching
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def serve(site: Path, gzip_text: bool = True):
    """The site on http://127.0.0.1:PORT/ from a daemon thread; yields the origin."""
    handler = type("Handler", (_SiteHandler,), {"gzip_text": gzip_text})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def _cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def cpu_busy(seconds: float = 2.0) -> float:
    """The share (0..1) of the machine's CPU time that was busy over the next `seconds`."""
    busy0, total0 = _cpu_times()
    time.sleep(seconds)
    busy1, total1 = _cpu_times()
    return (busy1 - busy0) / max(1, total1 - total0)


def wait_for_idle(threshold: float, limit: float) -> float:
    """Wait (up to `limit` seconds) until the CPU is busy less than `threshold` of the time: TBT
    is measured on this machine's CPU, and a test suite running beside Lighthouse doubles it.
    Returns the last busy share measured."""
    deadline = time.monotonic() + limit
    busy = cpu_busy()
    while busy > threshold and time.monotonic() < deadline:
        busy = cpu_busy()
    return busy


def lighthouse_version() -> str:
    package = LIGHTHOUSE.parents[1] / "package.json"
    if not package.exists():
        raise FileNotFoundError(
            f"{LIGHTHOUSE} is missing: install the tools with `npm ci --prefix tools`"
        )
    return json.loads(package.read_text())["version"]


def run_lighthouse(
    url: str, report: Path, cpu_slowdown: float = CPU_SLOWDOWN, timeout: float = 300
) -> dict:
    """One Lighthouse run of one URL; its full report (LHR) as a dict."""
    command = [
        shutil.which("node") or "node",
        str(LIGHTHOUSE),
        url,
        "--form-factor=mobile",  # Lighthouse's default, named: mobile screen and moto g power UA
        "--throttling-method=simulate",  # the default: slow 4G, simulated
        f"--throttling.cpuSlowdownMultiplier={cpu_slowdown:g}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        "--output=json",
        f"--output-path={report}",
        "--disable-full-page-screenshot",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    if run.returncode != 0 or not report.exists():
        raise RuntimeError(f"Lighthouse failed on {url} ({run.returncode}):\n{run.stderr[-3000:]}")
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise RuntimeError(f"Lighthouse failed on {url}: {result['runtimeError']}")
    return result


def measure_site(
    site: Path,
    pages: list[str] | None = None,
    runs: int = 1,
    reports: Path | None = None,
    gzip_text: bool = True,
    idle: float | None = 0.25,
    idle_wait: float = 120,
    cpu_slowdown: float = CPU_SLOWDOWN,
) -> dict:
    """Audit every page (or `pages`) `runs` times; the median run of each, and a summary."""
    site = site.resolve()
    pages = built_pages(site) if pages is None else pages
    output: dict = {
        "site": str(site),
        "lighthouse": lighthouse_version(),
        "settings": {
            "form_factor": "mobile",
            "throttling": f"simulate (150 ms RTT, 1.6 Mbps, {cpu_slowdown:g}x CPU slowdown)",
            "cpu_slowdown": cpu_slowdown,
            "categories": list(CATEGORIES),
            "runs_per_page": runs,
            "chrome": str(CHROMIUM),
            "chrome_flags": CHROME_FLAGS,
            "server": "gzip for text files (as GitHub Pages)" if gzip_text else "no compression",
            "wait_for_idle": idle,
        },
        "pages": {},
    }
    with serve(site, gzip_text) as origin, tempfile.TemporaryDirectory() as scratch:
        for url in pages:
            started = time.perf_counter()
            audit = functools.partial(_audit, f"{origin}/{url}", idle, idle_wait, cpu_slowdown)
            summaries, full = [], []
            for index in range(runs):
                report = Path(scratch) / f"{page_slug(url)}-{index}.json"
                summary, environment = audit(report)
                summaries.append(summary)
                full.append(report)
                output.setdefault("chromium", environment.get("hostUserAgent"))
                output.setdefault("benchmark_index", environment.get("benchmarkIndex"))
                output.setdefault("axe_core", environment["credits"].get("axe-core"))
            chosen = _median_run(summaries)
            page = summaries[chosen] | _spread(summaries)
            if reports is not None:
                reports.mkdir(parents=True, exist_ok=True)
                shutil.copy(full[chosen], reports / f"{page_slug(url)}.json")
            output["pages"][url or "/"] = page
            _print_page(url, page, time.perf_counter() - started)
    pages_out = output["pages"].values()
    output["summary"] = {
        "performance_min": min(p["performance"] for p in pages_out),
        "performance_median": statistics.median(p["performance"] for p in pages_out),
        "accessibility_min": min(p["accessibility"] for p in pages_out),
        "tbt_ms_max": max(p["metrics"].get("tbt_ms", 0) for p in pages_out),
    }
    return output


def _audit(url: str, idle, idle_wait, cpu_slowdown, report: Path) -> tuple[dict, dict]:
    """One run on one page, tried once more after a failure (NO_FCP on a busy machine)."""
    for attempt in range(2):
        busy = wait_for_idle(idle, idle_wait) if idle is not None else cpu_busy(0.5)
        try:
            result = run_lighthouse(url, report, cpu_slowdown)
            break
        except RuntimeError as error:
            if attempt:
                raise
            print(f"{url}: {str(error).strip()[-200:]}; trying again", flush=True)
    summary = summarize(result)
    # how busy the machine was before the run, and Lighthouse's own CPU benchmark (lower: a
    # slower or busier CPU): a run with other work beside it shows here
    summary["cpu_busy_before"] = round(busy, 2)
    summary["benchmark_index"] = result["environment"].get("benchmarkIndex")
    return summary, result["environment"]


def _median_run(summaries: list[dict]) -> int:
    """The index of the median run by performance score (ties: by TBT)."""
    order = sorted(
        range(len(summaries)),
        key=lambda i: (
            summaries[i]["performance"] or 0,
            -summaries[i]["metrics"].get("tbt_ms", 0),
        ),
    )
    return order[(len(summaries) - 1) // 2]


def _spread(summaries: list[dict]) -> dict:
    """With several runs: each run's main numbers, and the medians."""
    if len(summaries) < 2:
        return {}
    return {
        "runs": [
            {
                "performance": s["performance"],
                "accessibility": s["accessibility"],
                "tbt_ms": s["metrics"].get("tbt_ms"),
                "lcp_ms": s["metrics"].get("lcp_ms"),
                "cpu_busy_before": s["cpu_busy_before"],
                "benchmark_index": s["benchmark_index"],
            }
            for s in summaries
        ],
        "performance_median": statistics.median(s["performance"] or 0 for s in summaries),
        "tbt_ms_median": statistics.median(s["metrics"].get("tbt_ms", 0) for s in summaries),
    }


def _print_page(url: str, page: dict, seconds: float) -> None:
    m = page["metrics"]
    print(
        f"{url or '/':40} perf {page['performance']:3}  a11y {page['accessibility']:3}  "
        f"TBT {m.get('tbt_ms', 0):5.0f} ms  LCP {m.get('lcp_ms', 0) / 1000:4.1f} s  "
        f"FCP {m.get('fcp_ms', 0) / 1000:4.1f} s  CLS {m.get('cls', 0):.3f}  "
        f"DOM {m.get('dom_size', 0):5.0f}  ({seconds:.0f} s)",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a built site directory (mkdocs build)")
    parser.add_argument("--out", type=Path, required=True, help="the JSON to write")
    parser.add_argument("--page", action="append", help="only this page ('' home, 'errors/')")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median is kept")
    parser.add_argument("--reports", type=Path, help="keep each page's full Lighthouse report here")
    parser.add_argument(
        "--no-gzip", action="store_true", help="serve uncompressed (python -m http.server's way)"
    )
    parser.add_argument(
        "--idle",
        type=float,
        default=0.25,
        help="before each run, wait until the CPU is busy less than this share (0..1) of the "
        "time, at most --idle-wait seconds; a negative value: do not wait (default 0.25)",
    )
    parser.add_argument("--idle-wait", type=float, default=120, help="(default 120 s)")
    parser.add_argument(
        "--cpu-slowdown",
        type=float,
        default=CPU_SLOWDOWN,
        help=f"Lighthouse's simulated CPU slowdown (default {CPU_SLOWDOWN}; its own: 4)",
    )
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site} has no index.html: not a built site")
    if not CHROMIUM.exists():
        parser.error(f"{CHROMIUM} is missing: apt-get install chromium (make browser)")
    output = measure_site(
        args.site,
        pages=args.page,
        runs=max(1, args.runs),
        reports=args.reports,
        gzip_text=not args.no_gzip,
        idle=args.idle if args.idle >= 0 else None,
        idle_wait=args.idle_wait,
        cpu_slowdown=args.cpu_slowdown,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(output, indent=2) + "\n")
    errored = sorted({a for page in output["pages"].values() for a in page["errored_audits"]})
    if errored:
        print(f"warning: Lighthouse could not compute {', '.join(errored)} (see errored_audits)")
    print(f"summary: {output['summary']}\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
