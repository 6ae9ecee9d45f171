from django.apps import AppConfig


class DrillsConfig(AppConfig):
    name = "learnloop.drills"
    label = "drills"
    verbose_name = "Drills and safe practice"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Drills", "drills:list", 42)
