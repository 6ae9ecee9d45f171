from django.apps import AppConfig


class ApplauseConfig(AppConfig):
    name = "learnloop.applause"
    label = "applause"
    verbose_name = "Applause"

    def ready(self) -> None:
        from learnloop.applause.registry import register

        register("lesson", "lessons.Lesson", recipient="created_by_id", label="lesson")
        register("review", "reviews.Review", recipient="created_by_id", label="review")
