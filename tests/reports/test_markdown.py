"""Markdown of the summaries that CI renders on a job page: user-given text stays text."""

from __future__ import annotations

from reports.markdown import cell, code, table, text


def test_user_text_cannot_break_a_table_or_inject_html_code_or_links():
    hostile = "a|b `c` <script>alert(1)</script> [x](http://e)\n## h\x1b[31m"
    assert text(hostile) == ("a\\|b \\`c\\` &lt;script&gt;alert(1)&lt;/script&gt; "
                             "\\[x\\](http://e) ## h\\[31m")
    assert text("## heading") == " heading"
    rows = table(("name", "value"), [(hostile, 1)]).splitlines()
    assert len(rows) == 3 and rows[2].count(" | ") == 1


def test_markdown_made_here_is_kept_and_code_spans_stay_closed():
    assert cell("`pbo_max`") == "`pbo_max`" and cell("✅ **supported**") == "✅ **supported**"
    assert code("runs/x/full.md") == "`runs/x/full.md`"
    assert code("a`b") == "a\\`b"
