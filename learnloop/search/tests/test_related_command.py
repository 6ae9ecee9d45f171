"""``learnloop related --jsonl [--limit N] [--team T]``: the exact evaluation interface."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from learnloop.core.models import Visibility

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3].parent / "shared"

TLS = (
    "Internal TLS certificate expired",
    "Clients failed the TLS handshake after the service certificate expired overnight; "
    "renewal had been manual and nobody noticed the expiry date.",
)


def run(monkeypatch, lines: list[dict[str, Any] | str], *args: str) -> list[dict[str, Any]]:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    out = io.StringIO()
    call_command("related", "--jsonl", *args, stdout=out, stderr=io.StringIO())
    return [json.loads(x) for x in out.getvalue().splitlines() if x.strip()]


@pytest.fixture
def corpus(make_incident, make_review, make_lesson, beta):
    inc = make_incident(*TLS, external_id="uuid-tls")
    make_review(TLS[0], TLS[1], incident=inc, external_id="uuid-tls")
    lesson = make_lesson("Alert before certificates expire", TLS[1])
    make_incident(
        "Beta certificate expired",
        TLS[1],
        team=beta,
        visibility=Visibility.ORGANISATION,
        external_id="uuid-beta",
    )
    make_incident("Coffee machine broke", "The espresso machine in the kitchen stopped working.")
    return {"lesson": lesson}


def test_it_answers_one_line_per_query_with_external_ids_once(monkeypatch, corpus):
    q = {"id": "q1", "title": TLS[0], "description": TLS[1]}
    (row,) = run(monkeypatch, [q])
    assert row["id"] == "q1"
    assert row["ranked"].count("uuid-tls") == 1
    assert f"lesson:{corpus['lesson'].pk}" in row["ranked"]
    assert "uuid-beta" in row["ranked"]


def test_it_gives_an_empty_list_for_unrelated_queries(monkeypatch, corpus):
    q = {"id": "q2", "title": "Quarterly planning offsite", "description": "Agenda and venue."}
    assert run(monkeypatch, [q]) == [{"id": "q2", "ranked": []}]


def test_it_respects_limit_and_team(monkeypatch, corpus):
    q = {"id": "q1", "title": TLS[0], "description": TLS[1]}
    (row,) = run(monkeypatch, [q], "--limit", "1")
    assert len(row["ranked"]) == 1
    (row,) = run(monkeypatch, [q], "--team", "beta")
    assert row["ranked"] == ["uuid-beta"]
    with pytest.raises(CommandError):
        run(monkeypatch, [q], "--team", "nope")


def test_it_skips_bad_lines_and_survives_nasty_text(monkeypatch, corpus):
    rows = run(
        monkeypatch,
        [
            "not json",
            "[1, 2]",
            {"id": 7, "title": '"NEAR( *:^ 🔥', "description": "x" * 10000},
            {"id": "empty"},
        ],
    )
    assert [r["id"] for r in rows] == [7, "empty"]
    assert rows[1]["ranked"] == []


@pytest.mark.skipif(
    not (SHARED / "corpus" / "postmortems").is_dir(),
    reason="../shared/corpus is not present (the evaluation corpus lives outside the repository)",
)
def test_it_finds_a_relevant_postmortem_after_import(monkeypatch, org):
    queries = [
        json.loads(x)
        for x in (SHARED / "eval" / "related-dev.jsonl").read_text().splitlines()
        if x.strip()
    ]
    query = next(q for q in queries if any(g == 2 for g in q["relevant"].values()))
    files = sorted((SHARED / "corpus" / "postmortems").glob("*.md"))
    wanted = {f"{u}.md" for u in query["relevant"]}
    chosen = [f for f in files if f.name in wanted] + [f for f in files if f.name not in wanted][
        :15
    ]
    call_command(
        "import_files",
        "--team",
        "corpus",
        "--no-progress",
        *map(str, chosen),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    (row,) = run(monkeypatch, [{k: query[k] for k in ("id", "title", "description")}])
    assert set(row["ranked"][:5]) & set(query["relevant"]), row
