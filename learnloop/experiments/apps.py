from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "learnloop.experiments"
    label = "experiments"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Experiments", "experiments:list", 45)
