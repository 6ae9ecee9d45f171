from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    """Private calendar subscribe feeds per person and per team (decisions/0190).

    Apps add events to the feeds with ``core.calendar.source`` in a ``calendar_events.py``
    module; this app discovers those modules at start-up.
    """

    name = "learnloop.calendars"
    label = "calendars"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("calendar_events")
