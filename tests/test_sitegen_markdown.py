"""Reading pages: includes, prose versus code, value references, annotation lists."""

from __future__ import annotations

from sitegen import markdown

PAGE = """\
# Title

## A heading { #custom }

```py title="demo.py"
--8<-- "snippets/chapter/demo.py:make"
```

1.  An annotation
    that goes on.

Prose with {{ chapter/demo.py:make x:.2f }} and `{{ chapter/demo.py y }}` in code.

=== "Tab"

    ```py title="demo.py"
    --8<-- "snippets/chapter/demo.py"
    ```

```text
{{ chapter/demo.py z }}
```
"""


def test_includes_are_found_with_their_section_indent_title_and_heading():
    found = markdown.includes(PAGE)
    assert [(i.path, i.section, i.indent, i.title, i.heading, i.line) for i in found] == [
        ("snippets/chapter/demo.py", "make", "", "demo.py", "A heading", 5),
        ("snippets/chapter/demo.py", "__file__", "    ", "demo.py", "A heading", 16),
    ]


def test_value_references_count_only_in_prose():
    refs = [m.group(0) for m in markdown.value_refs(PAGE)]
    assert refs == ["{{ chapter/demo.py:make x:.2f }}"]
    replaced = markdown.in_prose(PAGE, markdown.VALUE_REF, lambda m: "<V>")
    assert "Prose with <V> and `{{ chapter/demo.py y }}`" in replaced
    assert "{{ chapter/demo.py z }}" in replaced  # inside a code fence: untouched


def test_the_annotation_list_stays_right_after_its_code():
    include = markdown.includes(PAGE)[0]
    end = markdown.after_annotations(PAGE, include.end, include.indent)
    assert PAGE[include.end : end].strip().endswith("that goes on.")
    second = markdown.includes(PAGE)[1]
    assert markdown.after_annotations(PAGE, second.end, second.indent) == second.end


def test_the_first_heading_is_the_title_and_code_comments_do_not_count():
    assert markdown.first_heading("```python\n# not a title\n```\n# Real\n") == "Real"
