from django.apps import AppConfig


class TranscriptsConfig(AppConfig):
    name = "learnloop.transcripts"
    label = "transcripts"
    verbose_name = "Meeting turn-taking"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Turn-taking", "transcripts:list", 76)
