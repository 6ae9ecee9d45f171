import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _fresh_local_cache() -> None:
    caches["local"].clear()
