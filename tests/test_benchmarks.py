"""The benchmark's own arithmetic: Lighthouse's scores against the budget."""

from __future__ import annotations

from benchmarks.__main__ import add_lighthouse


def test_lighthouse_scores_are_read_out_of_100_and_a_low_one_misses_the_budget():
    pages = {
        "fundamentals/": {"gzip_kib": 200.0, "met": True},
        "/": {"gzip_kib": 900.0, "met": False},
    }
    scored = {
        "fundamentals/": {"performance": 85, "accessibility": 100, "metrics": {"tbt_ms": 420.0}},
        "/": {"performance": 99, "accessibility": 96, "metrics": {"tbt_ms": 30.0}},
        "errors/": {"performance": 97, "accessibility": 100, "metrics": {}},
    }
    add_lighthouse(pages, scored)
    assert pages["fundamentals/"] == {
        "gzip_kib": 200.0,
        "met": False,  # 0.85 < 0.9
        "performance": 0.85,
        "accessibility": 1.0,
        "tbt_ms": 420.0,
    }
    assert pages["/"]["performance"] == 0.99 and not pages["/"]["met"]  # too heavy, still missed
    assert pages["errors/"]["met"] and pages["errors/"]["tbt_ms"] is None
