from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "learnloop.incidents"
    label = "incidents"

    def ready(self) -> None:
        from learnloop.incidents import home_panel  # noqa: F401 - registers the home panel
        from learnloop.web import nav

        nav.register("Report", "incidents:new", 10)
        nav.register("Incidents", "incidents:list", 20)
