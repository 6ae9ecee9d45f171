"""The journal's markup written in Python (``journal.render``, decisions 0183 and 0239) prints
what the template markup it replaced printed, byte for byte: that markup is quoted here and
rendered by the template engine beside the Python for entries with every branch (linked, no
longer visible, tags or none, answers or none, shared by name, anonymously, not at all) and
text that needs escaping, in two time zones."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import timezone

from learnloop.journal import render
from learnloop.journal.models import Entry
from learnloop.web.chrome import text

#: ``journal/detail.html``'s content block before decision 0239.
ARTICLE = """{% load markdown %}<article class="journal-entry">
  <header>
    <p><small><a href="{% url 'journal:list' %}">Your journal</a> · {{ entry.framework_name }} · {{ entry.created_at|date:"j M Y" }} · private to you</small></p>
    <h1>{{ entry.title }}</h1>
    {% if linked %}<p><small>About: <a href="{{ linked_url }}">{{ linked.title }}</a></small></p>
    {% elif entry.link_kind %}<p><small>About something you can no longer see.</small></p>{% endif %}
    {% if entry.tags %}<p class="tags">{% for tag in entry.tags %}<span class="badge">{{ tag }}</span> {% endfor %}</p>{% endif %}
  </header>
  {% for item in entry.answered %}
  <section><h2>{{ item.label }}</h2>{{ item.answer|markdown }}</section>
  {% empty %}<p>No answers yet.</p>{% endfor %}
  {% if entry.shared %}<p class="journal-shared"><small>You shared a learning from this entry{% if entry.shared_lesson_id %}: <a href="{% url 'lessons:detail' entry.shared_lesson_id %}">the lesson</a>{% elif entry.shared_anonymously %} anonymously{% endif %}. Only you see this note.</small></p>{% endif %}
  <footer>
    <a href="{% url 'journal:edit' entry.pk %}" role="button" class="secondary">Edit</a>
    <a href="{% url 'journal:share' entry.pk %}" role="button">Share a learning</a>
    <a href="{% url 'journal:delete' entry.pk %}" role="button" class="secondary outline">Delete</a>
  </footer>
</article>"""

#: ``journal/list.html``'s framework menu loop before decision 0239.
MENU = """{% url 'journal:new' as new_url %}{% for fw in frameworks %}<li><a href="{{ new_url }}?framework={{ fw.key|urlencode }}">{{ fw.name }}</a>{% if fw.description %} <small>— {{ fw.description }}</small>{% endif %}{% if fw.scope != "shipped" %} <small>({{ fw.scope }})</small>{% endif %}</li>{% endfor %}"""

#: ``journal/list.html``'s row loop before decision 0183.
ROWS = """{% for entry in entries %}<li><a href="{{ entry.url }}">{{ entry.title }}</a> <small>{{ entry.framework_name }} · {{ entry.created_at|date:"j M Y" }}{% if entry.shared %} · shared{% endif %}{% for tag in entry.tags %} · <span class="badge">{{ tag }}</span>{% endfor %}</small></li>{% endfor %}"""

NASTY = '<b>"Tom & Jerry\'s"</b> {{ x }} {% if %} é — 日本'
PROMPTS = [
    {"key": "description", "label": "Description", "help": ""},
    {"key": "feelings", "label": NASTY, "help": "h"},
    {"key": "plan", "label": "Plan", "help": ""},
]


def _entry(**changes: Any) -> Entry:
    fields: dict[str, Any] = {
        "pk": 1234,
        "title": 'Deploy <broke> & "stuck"',
        "framework_key": "gibbs",
        "framework_name": "Gibbs' reflective <cycle>",
        "prompts": PROMPTS,
        "answers": {
            "description": "It *broke* <script>x</script>.",
            "feelings": "  ",
            "plan": NASTY,
        },
        "tags": ["on-call", NASTY],
        "link_kind": "",
        "link_id": None,
        "shared_lesson_id": None,
        "shared_anonymously": False,
        "created_at": dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC),
    }
    fields.update(changes)
    return Entry(**fields)


LINKED = SimpleNamespace(title=NASTY, pk=9)
CASES: list[tuple[Entry, Any, str]] = [
    (_entry(), None, ""),
    (_entry(link_kind="incident", link_id=9), LINKED, "/incidents/9/?a=1&b=<2>"),
    (_entry(link_kind="review", link_id=9), None, ""),
    (_entry(tags=[], answers={}), None, ""),
    (_entry(tags=[], answers={"plan": "x"}), LINKED, "/r/9/"),
    (_entry(shared_lesson_id=77), None, ""),
    (_entry(shared_anonymously=True, link_kind="retro", link_id=3), None, ""),
    (_entry(shared_anonymously=True, shared_lesson_id=78, prompts=[]), None, ""),
    (_entry(pk=2**62, title="", framework_name="", tags=[""]), None, ""),
]


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
@pytest.mark.parametrize(("entry", "linked", "linked_url"), CASES)
def test_an_entrys_article_is_the_templates_byte_for_byte(
    entry: Entry, linked: Any, linked_url: str, zone: str
) -> None:
    context = Context({"entry": entry, "linked": linked, "linked_url": linked_url})
    with timezone.override(zone):
        expected = Template(ARTICLE).render(context)
        assert render.entry_article(entry, linked, linked_url) == expected


def test_the_framework_menu_and_the_rows_are_the_templates_byte_for_byte() -> None:
    frameworks = [
        {"key": "gibbs", "name": "Gibbs", "description": "Six steps", "scope": "shipped"},
        {"key": "custom-1", "name": NASTY, "description": "", "scope": "organisation"},
        {"key": "a b/c&d?é", "name": "x", "description": NASTY, "scope": "personal"},
    ]
    rows = [
        {
            "url": f"/journal/{i}/",
            "title": NASTY if i % 2 else "Plain",
            "framework_name": NASTY,
            "created_at": dt.datetime(2026, 1 + i, 28, 23 - i, 59, tzinfo=dt.UTC),
            "shared": bool(i % 3),
            "tags": [NASTY, "b"][: i % 3],
        }
        for i in range(12)
    ]
    for zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        with timezone.override(zone):
            menu = Template(MENU).render(Context({"frameworks": frameworks}))
            new_url = text(render.url("new"))
            assert "".join(render.framework_item(new_url, fw) for fw in frameworks) == menu
            listed = Template(ROWS).render(Context({"entries": rows}))
            assert "".join(render.entry_item(row) for row in rows) == listed


def test_the_text_of_a_value_is_what_autoescaping_prints() -> None:
    from django.utils.safestring import SafeString

    for value in (NASTY, SafeString("<b>safe</b>"), 12345, None, 1.5, ""):
        assert text(value) == Template("{{ v }}").render(Context({"v": value}))
