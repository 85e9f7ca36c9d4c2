"""Measure the site's build, its snippets and its lessons; `python -m benchmarks` (make bench)."""
