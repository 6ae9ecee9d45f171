from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "learnloop.actions"
    label = "actions"

    def ready(self) -> None:
        from learnloop.actions import home_panel  # noqa: F401 - registers the home panel
        from learnloop.web.nav import register

        register("Actions", "actions:list", 40)
