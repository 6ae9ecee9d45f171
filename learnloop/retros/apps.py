from django.apps import AppConfig


class RetrosConfig(AppConfig):
    name = "learnloop.retros"
    label = "retros"

    def ready(self) -> None:
        from learnloop.retros import team_panel  # noqa: F401 - registers the team-page panel
        from learnloop.web.nav import register

        register("Retros", "retros:list", 45)
