"""Build machinery of the site: runs snippets, caches their results, feeds MkDocs.

Readers never import this package; it is kept apart from `ptx`, the helpers they do import.
"""
