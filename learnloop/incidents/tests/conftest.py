import itertools

import pytest

_n = itertools.count()


@pytest.fixture(autouse=True)
def _private_cache(settings):  # noqa: ANN001
    """Each test gets an empty in-memory cache, so the per-person report rate limit starts at 0."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"incidents-test-{next(_n)}",
        }
    }
