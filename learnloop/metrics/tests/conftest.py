import pytest
from django.core.cache import caches

from learnloop.core import shared_memory as shared


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    caches["local"].clear()
    shared.clear()
