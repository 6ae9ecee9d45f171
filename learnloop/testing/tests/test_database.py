"""module_transaction: rows built once for a module, each test's own writes rolled back after
it, everything rolled back when the module's transaction ends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from learnloop.accounts.models import Organisation
from learnloop.testing.builders import make_organisation
from learnloop.testing.database import module_transaction

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[Organisation]:
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            organisation = make_organisation(name="Seeded once")
        yield organisation


def names() -> list[str]:
    return sorted(Organisation.objects.values_list("name", flat=True))


@pytest.mark.parametrize("turn", [1, 2, 3])
def test_every_test_sees_the_module_rows_and_none_of_another_tests_writes(
    seeded: Organisation, turn: int
) -> None:
    assert names() == ["Seeded once"]
    make_organisation(name=f"Written by test {turn}")
    assert names() == ["Seeded once", f"Written by test {turn}"]


def test_the_rows_are_rolled_back_when_the_transaction_ends(django_db_blocker) -> None:
    with module_transaction(django_db_blocker):
        make_organisation(name="Inside")
        assert "Inside" in names()
    assert "Inside" not in names()
