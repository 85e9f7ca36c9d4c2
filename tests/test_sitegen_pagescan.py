"""Reading a page once: includes, prose versus code, collapsed boxes, references, annotations."""

from __future__ import annotations

from sitegen.pagescan import scan

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
{{ chapter/demo.py z }} {{ site:torch }}
```

??? note "Going further: hidden"

    Folded prose with a `gradient`.

    ```python
    # not a heading
    ```

!!! tip "Open"

    Open prose, {{ site:helper }}.

Main again.
"""


def test_includes_are_found_with_their_section_indent_title_and_heading():
    page = scan(PAGE)
    found = [(i.path, i.section, i.fence.indent, i.title, i.heading, i.line) for i in page.includes]
    assert found == [
        ("snippets/chapter/demo.py", "make", "", "demo.py", "A heading", 5),
        ("snippets/chapter/demo.py", "__file__", "    ", "demo.py", "A heading", 16),
    ]


def test_value_references_count_only_in_prose_and_site_references_everywhere():
    page = scan(PAGE)
    assert [r.text for r in page.value_refs] == ["{{ chapter/demo.py:make x:.2f }}"]
    ref = page.value_refs[0]
    assert (ref.file, ref.section, ref.name, ref.format, ref.line) == (
        "chapter/demo.py",
        "make",
        "x",
        ".2f",
        12,
    )
    assert PAGE[ref.start : ref.end] == ref.text
    assert [(r.name, r.line) for r in page.site_refs] == [("torch", 21), ("helper", 34)]


def test_the_annotation_list_stays_right_after_its_code():
    first, second = scan(PAGE).includes
    assert PAGE[first.fence.end : first.output_at].strip().endswith("that goes on.")
    assert second.output_at == second.fence.end


def test_collapsed_boxes_are_off_the_main_path_open_ones_are_on_it():
    page = scan(PAGE)
    main = "".join(p.text for p in page.prose(main_path_only=True))
    everything = "".join(p.text for p in page.prose())
    assert "Folded prose" in everything and "Folded prose" not in main
    assert "Open prose" in main and "Main again." in main
    folded_code = [p.text for p in page.pieces if p.is_code and p.collapsed]
    assert folded_code == ["`gradient`"]
    assert [f.collapsed for f in page.fences] == [False, False, False, True]


def test_the_title_and_headings_come_from_prose_only():
    page = scan("```python\n# not a title\n```\n# Real\n\n## Next {#x}\n", first_line=5)
    assert page.title == "Real"
    assert [(h.level, h.text, h.line) for h in page.headings] == [(1, "Real", 8), (2, "Next", 10)]


def test_a_diagram_fence_is_found_with_its_body():
    page = scan("Text\n\n```diagram\ntitle: T\nchain:\n- a\n- b\n```\n")
    (diagram,) = page.diagrams
    assert diagram.body.startswith("title: T") and diagram.line == 3
