from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "learnloop.journal"
    label = "journal"
    verbose_name = "Reflection journal"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Journal", "journal:list", 50)
