from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "learnloop.metrics"
    label = "metrics"
    verbose_name = "Learning metrics"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Loop metrics", "metrics:index", 85)
