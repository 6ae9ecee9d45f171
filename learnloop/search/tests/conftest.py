from __future__ import annotations

from typing import Any

import pytest

from learnloop.core.models import Visibility


@pytest.fixture
def make_incident(alpha):  # noqa: ANN001, ANN201
    from learnloop.incidents.models import Incident

    def make(title: str, description: str = "", team: Any = None, **kw: Any) -> Incident:
        kw.setdefault("visibility", Visibility.TEAM)
        return Incident.objects.create(
            team=team or alpha, title=title, description=description, **kw
        )

    return make


@pytest.fixture
def make_review(alpha):  # noqa: ANN001, ANN201
    from learnloop.reviews.models import Review

    def make(title: str, summary: str = "", team: Any = None, **kw: Any) -> Review:
        kw.setdefault("visibility", Visibility.TEAM)
        content = kw.pop("content", {"summary": summary})
        return Review.objects.create(team=team or alpha, title=title, content=content, **kw)

    return make


@pytest.fixture
def make_lesson(alpha):  # noqa: ANN001, ANN201
    from learnloop.lessons.models import Lesson

    def make(statement: str, context: str = "", team: Any = None, **kw: Any) -> Lesson:
        kw.setdefault("visibility", Visibility.TEAM)
        return Lesson.objects.create(team=team or alpha, statement=statement, context=context, **kw)

    return make
