from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "learnloop.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from learnloop.core.events import subscribe
        from learnloop.webhooks.services import on_event

        subscribe(on_event)
