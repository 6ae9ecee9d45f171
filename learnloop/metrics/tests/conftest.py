import pytest
from django.core.cache import caches

from learnloop.metrics import shared


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    caches["local"].clear()
    shared.clear()
