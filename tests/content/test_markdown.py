"""Module texts (en.md): sections and their keys, links and raw HTML at their lines; rendering to safe HTML."""
import pytest

from app.content.markdown import count_words, render_markdown, sanitize
from tests.content.helpers import BASICS, assert_problem

MD = f"{BASICS}/en.md"


# -- Sections ------------------------------------------------------------------------------


def test_text_before_the_first_section(content):
    content.edit(MD, "---\n\n## Why it matters", "---\n\nAn introduction.\n\n## Why it matters")
    assert_problem(content.check(), f"{MD}:11:", "text before the first section")


def test_a_module_without_sections(content):
    text = content.read(MD)
    content.write(MD, text[: text.index("## Why it matters")])
    assert_problem(content.check(), f"{MD}:1:", "no sections")


def test_a_section_heading_without_key(content):
    content.edit(MD, "## Fees and related costs {#fees-and-costs}", "## Fees and related costs")
    assert_problem(content.check(), f"{MD}:22:", "has no key: write it as ## Fees and related costs {#section-key}")


def test_headings_a_section_cannot_have(content):
    content.edit(MD, "### A typical chain", "# A typical chain")
    content.edit(MD, "1. a local broker;", "1. ## a local broker {#broker}")
    result = content.check()
    assert_problem(result, f"{MD}:17:", "a heading with one # is not allowed")
    assert_problem(result, f"{MD}:19:", "a section heading (##) cannot sit inside a list or a quote")


def test_duplicate_reserved_and_bad_section_keys(content):
    content.edit(MD, "{#fees-and-costs}", "{#why-it-matters}")
    content.edit(MD, "{#roles}", "{#quiz}")
    content.edit(MD, "{#further-reading}", "{#Further reading}")
    result = content.check()
    assert_problem(result, f"{MD}:22:", "duplicate section key 'why-it-matters' (first on line 11)")
    assert_problem(result, f"{MD}:26:", "section key 'quiz' is reserved")
    assert_problem(result, f"{MD}:36:", "section key 'Further reading' must be lowercase")


# -- Links and raw HTML -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("[the guidelines](guidelines.html)", "link 'guidelines.html' goes nowhere"),
        ("[the guidelines](../recruitment/)", "link '../recruitment/' goes nowhere"),
        ("[the guidelines]()", "empty link"),
        ("[below](#nowhere)", "link '#nowhere' points to no section of this module"),
        ("[click](javascript:alert(1))", "javascript: links are not allowed"),
        ("[a file](file:///etc/passwd)", "file: links are not allowed"),
        ("[ILO](https://)", "has no host"),
        ("[write](mailto:)", "has no e-mail address"),
        ("[today](/courses/sample-course/ghost/)", "there is no module 'ghost' in course 'sample-course'"),
        ("[today](/courses/other-course/recruitment/)", "there is no module 'recruitment' in course 'other-course'"),
        ("[today](/courses/sample-course/recruitment/nothing/)", "module 'recruitment' has no section 'nothing'"),
        ("[today](/courses/sample-course/recruitment)", "goes nowhere"),
        ("![a chart](chart.png)", "images are not supported"),
        ("<b>bold</b>", "raw HTML is not allowed"),
        ("\n\n<div>\nA box\n</div>\n", "raw HTML is not allowed"),
    ],
)
def test_bad_links_and_raw_html(content, link, message):
    line = content.line_of(MD, "The core principle is simple")
    content.edit(MD, "The core principle is simple", f"{link} The core principle is simple")
    if link.startswith("\n"):
        line += 2
    assert_problem(content.check(), f"{MD}:{line}:", message)


def test_good_links_pass(content):
    content.edit(
        MD, "The core principle is simple",
        "See [the ILO](https://www.ilo.org/fair-recruitment), [the old site](http://example.org), "
        "[write](mailto:secretariat@example.org), <https://www.iom.int>, [below](#roles), "
        "[recruitment](/courses/sample-course/recruitment/), "
        "[contracts](/courses/sample-course/recruitment/contracts/).\n\nThe core principle is simple",
    )
    result = content.check()
    assert result.exit_code == 0, result.output


def test_a_link_line_inside_a_paragraph(content):
    line = content.line_of(MD, "*An example:*")
    content.edit(MD, "*An example:* Rina borrows", "*An example:*\nRina [borrows](loan.md)")
    assert_problem(content.check(), f"{MD}:{line + 1}:", "link 'loan.md' goes nowhere")


# -- Rendering ------------------------------------------------------------------------------


def test_the_sanitizer_strips_what_the_renderer_should_never_produce():
    html = sanitize('<p onclick="x()">Hi <a href="javascript:alert(1)">me</a> <script>alert(2)</script><img src=x></p>'
                    '<h1>Big</h1><a href="https://www.ilo.org" target="_blank">ILO</a>')
    assert "javascript" not in html and "script" not in html and "onclick" not in html and "<img" not in html
    assert "<h1>" not in html and "target" not in html
    assert '<a href="https://www.ilo.org" rel="noopener noreferrer">ILO</a>' in html


def test_render_markdown_escapes_html_and_points_anchors_at_section_pages():
    html = render_markdown(
        "A [link](javascript:alert(1)) and <script>alert(1)</script>, [next](#roles), [ILO](https://www.ilo.org).\n",
        "/courses/c/m/",
    )
    assert "<script>" not in html and 'href="javascript' not in html
    assert '<a href="/courses/c/m/roles/" rel="noopener noreferrer">next</a>' in html
    assert '<a href="https://www.ilo.org" rel="noopener noreferrer">ILO</a>' in html


def test_count_words_counts_text_and_code_not_syntax_or_addresses():
    assert count_words("### Two words\n\n**Bold** [a link](https://example.org/a/long/address) `code`\n\n```\nx = 1\n```\n") == 9
