from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "learnloop.metrics"
    label = "metrics"
    verbose_name = "Learning metrics"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Loop metrics", "metrics:index", 85)

    def warm_up(self) -> None:
        """In gunicorn's master before the fork (``core.warmup``): the memory the workers share
        computed figures through (``metrics.shared``, decision 0174)."""
        from learnloop.metrics import shared

        shared.create()
