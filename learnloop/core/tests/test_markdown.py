from django.template import Context, Template

from learnloop.core.markdown import render_markdown


def test_it_renders_commonmark():
    html = render_markdown("# Title\n\nSome *emphasis* and `code`.\n\n- a\n- b\n")
    assert "<h1>Title</h1>" in html
    assert "<em>emphasis</em>" in html
    assert "<code>code</code>" in html
    assert "<li>a</li>" in html


def test_it_drops_raw_html_and_scripts():
    html = render_markdown('<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">')
    assert "<script" not in html
    assert "<img" not in html


def test_it_refuses_javascript_links():
    html = render_markdown("[click](javascript:alert(1))")
    assert "href" not in html


def test_it_adds_safe_rel_to_links():
    html = render_markdown("[site](https://example.org)")
    assert 'href="https://example.org"' in html
    assert "noopener" in html


def test_it_renders_empty_text_as_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_it_works_as_a_template_filter():
    out = Template("{% load markdown %}{{ text|markdown }}").render(
        Context({"text": "**bold** <b>raw</b>"})
    )
    assert "<strong>bold</strong>" in out
    assert "<b>" not in out
