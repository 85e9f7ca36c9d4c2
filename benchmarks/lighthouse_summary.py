"""What the Lighthouse benchmark keeps of one Lighthouse report (LHR): the scores, the timing
metrics, the costliest diagnostics and the failing accessibility audits."""

from __future__ import annotations

CATEGORIES = ("performance", "accessibility")
METRICS = {  # our name: (Lighthouse audit, unit)
    "tbt_ms": "total-blocking-time",
    "lcp_ms": "largest-contentful-paint",
    "fcp_ms": "first-contentful-paint",
    "cls": "cumulative-layout-shift",
    "speed_index_ms": "speed-index",
    "tti_ms": "interactive",
    "dom_size": "dom-size",
    "transfer_bytes": "total-byte-weight",
    "main_thread_ms": "mainthread-work-breakdown",
    "js_execution_ms": "bootup-time",
}
# metrics, screenshots and audits that only list things: not diagnostics
NOT_DIAGNOSTICS = {
    *METRICS.values(),
    "max-potential-fid",
    "first-meaningful-paint",
    "screenshot-thumbnails",
    "final-screenshot",
    "main-thread-tasks",
    "network-requests",
    "network-rtt",
    "network-server-latency",
    "metrics",
    "diagnostics",
    "resource-summary",
    "script-treemap-data",
    "largest-contentful-paint-element",
    "layout-shifts",
}
# ...except these, which say what the metrics are made of
ALWAYS_DIAGNOSTICS = ("dom-size", "mainthread-work-breakdown", "bootup-time", "total-byte-weight")


def _items(audit: dict, count: int = 5) -> list[dict]:
    """The first rows of an audit's table: URL or element, and what it costs."""
    details = audit.get("details") or {}
    rows = []
    for item in (details.get("items") or [])[:count]:
        if not isinstance(item, dict):
            continue
        row = {}
        for key in ("url", "groupLabel", "label", "statistic", "value", "duration", "startTime"):
            value = item.get(key)
            if isinstance(value, (str, int, float)):
                row[key] = value
            elif isinstance(value, dict) and value.get("type") == "numeric":
                row[key] = value.get("value")
        for key in ("wastedMs", "wastedBytes", "totalBytes", "transferSize", "total", "scripting"):
            if isinstance(item.get(key), (int, float)):
                row[key] = round(item[key], 1)
        node = item.get("node") or (item if item.get("type") == "node" else None)
        if isinstance(node, dict):
            row["selector"] = node.get("selector")
            row["snippet"] = (node.get("snippet") or "")[:200]
        if row:
            rows.append(row)
    return rows


def _savings(audit: dict) -> dict:
    details = audit.get("details") or {}
    savings = {
        key: round(value)
        for key, value in (audit.get("metricSavings") or {}).items()
        if isinstance(value, (int, float)) and value
    }
    for key in ("overallSavingsMs", "overallSavingsBytes"):
        if details.get(key):
            savings[key] = round(details[key])
    return savings


def summarize(result: dict, top: int = 8) -> dict:
    """What the JSON keeps of one report."""
    audits = result["audits"]
    scores = {
        name: round(result["categories"][name]["score"] * 100)
        if result["categories"][name]["score"] is not None
        else None
        for name in CATEGORIES
    }
    metrics = {
        name: round(audits[audit]["numericValue"], 3 if name == "cls" else None)
        for name, audit in METRICS.items()
        if isinstance(audits.get(audit, {}).get("numericValue"), (int, float))
    }
    return {
        **scores,
        "metrics": metrics,
        "diagnostics": _diagnostics(result)[:top],
        "accessibility_failures": _accessibility_failures(result),
        "warnings": result.get("runWarnings", []),
        # audits Lighthouse could not compute (e.g. a trace this Chromium writes differently)
        "errored_audits": sorted(
            audit_id
            for audit_id, audit in audits.items()
            if audit.get("scoreDisplayMode") == "error"
        ),
    }


def _diagnostics(result: dict) -> list[dict]:
    """The performance audits that fail or promise savings, the costliest first."""
    audits = result["audits"]
    performance_ids = {ref["id"] for ref in result["categories"]["performance"]["auditRefs"]}
    diagnostics = []
    for audit_id in sorted(performance_ids | set(ALWAYS_DIAGNOSTICS)):
        audit = audits.get(audit_id)
        if not audit or audit_id in NOT_DIAGNOSTICS and audit_id not in ALWAYS_DIAGNOSTICS:
            continue
        score = audit.get("score")
        savings = _savings(audit)
        failing = (
            score is not None and audit.get("scoreDisplayMode") != "informative" and score < 0.9
        )
        if failing or savings or audit_id in ALWAYS_DIAGNOSTICS:
            diagnostics.append(
                {
                    "id": audit_id,
                    "title": audit["title"],
                    "score": score,
                    "display": audit.get("displayValue", ""),
                    "savings": savings,
                    "items": _items(audit),
                }
            )
    # the ones that cost the most first: metric savings (ms), then failing, then the rest
    timed = ("LCP", "FCP", "TBT", "overallSavingsMs")
    diagnostics.sort(
        key=lambda d: (
            -sum(v for k, v in d["savings"].items() if k in timed),
            d["score"] if d["score"] is not None else 1,
            d["id"],
        )
    )
    return diagnostics


def _accessibility_failures(result: dict) -> list[dict]:
    audits = result["audits"]
    failures = []
    for ref in result["categories"]["accessibility"]["auditRefs"]:
        audit = audits[ref["id"]]
        if audit.get("score") == 0 and audit.get("scoreDisplayMode") == "binary":
            failures.append(
                {
                    "id": ref["id"],
                    "title": audit["title"],
                    "weight": ref["weight"],
                    "elements": len((audit.get("details") or {}).get("items") or []),
                    "items": _items(audit, count=10),
                }
            )
    return sorted(failures, key=lambda a: (-a["weight"], a["id"]))
