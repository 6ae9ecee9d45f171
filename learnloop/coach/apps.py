from django.apps import AppConfig


class CoachConfig(AppConfig):
    """The blame coach: a pure-Python engine (the engine package) plus its place in the product (hints
    while typing, flags that stay resolved or dismissed, counts per review)."""

    name = "learnloop.coach"
    label = "coach"
    verbose_name = "Blame coach"

    def ready(self) -> None:
        from learnloop.coach import signals  # noqa: F401 - connects the publish sync
