from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tools: the benchmark seed, the demo loader and the bare benchmark view.

    They sit above every domain app (they write incidents, reviews, lessons, ...), so ``core``
    stays free of domain imports (docs/decisions/0019-dependency-direction.md).
    """

    name = "learnloop.devtools"
    label = "devtools"
