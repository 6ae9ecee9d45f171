"""Search tests name things by their text: these fixtures bind the builders of
``learnloop.testing.builders`` to Alpha and take the title and body positionally."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from learnloop.accounts.models import Team
from learnloop.incidents.models import Incident
from learnloop.lessons.models import Lesson
from learnloop.reviews.models import Review
from learnloop.testing import builders


@pytest.fixture
def make_incident(alpha: Team) -> Callable[..., Incident]:
    def make(title: str, description: str = "", team: Team | None = None, **kw: Any) -> Incident:
        return builders.make_incident(team or alpha, title=title, description=description, **kw)

    return make


@pytest.fixture
def make_review(alpha: Team) -> Callable[..., Review]:
    def make(title: str, summary: str = "", team: Team | None = None, **kw: Any) -> Review:
        kw.setdefault("content", {"summary": summary})
        kw.setdefault("sections", [])
        return builders.make_review(team or alpha, title=title, **kw)

    return make


@pytest.fixture
def make_lesson(alpha: Team) -> Callable[..., Lesson]:
    def make(statement: str, context: str = "", team: Team | None = None, **kw: Any) -> Lesson:
        return builders.make_lesson(team or alpha, statement=statement, context=context, **kw)

    return make
