from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "learnloop.web"
    label = "web"

    def ready(self) -> None:
        from learnloop.web import page_cache

        page_cache.connect_signals()
