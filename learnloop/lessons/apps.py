from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "learnloop.lessons"
    label = "lessons"
    verbose_name = "Lessons library"

    def ready(self) -> None:
        from learnloop.lessons import home_panel, signals  # noqa: F401 - panel and receivers
        from learnloop.web.nav import register

        register("Library", "lessons:library", 40)
