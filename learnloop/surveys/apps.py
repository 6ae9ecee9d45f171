from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "learnloop.surveys"
    label = "surveys"
    verbose_name = "Psychological-safety surveys"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Surveys", "surveys:list", 75)
