from django.apps import AppConfig


class ExperimentsConfig(AppConfig):
    name = "learnloop.experiments"
    label = "experiments"

    def ready(self) -> None:
        from learnloop.applause.registry import register as reactable
        from learnloop.experiments import team_panel  # noqa: F401 - registers the team-page panel
        from learnloop.web.nav import register

        register("Experiments", "experiments:list", 45)
        reactable(
            "learning_card",
            "experiments.LearningCard",
            recipient="created_by_id",
            label="learning card",
        )
        reactable(
            "showcase_item", "experiments.ShowcaseItem", recipient="presenter_id", label="item"
        )
