from django.apps import AppConfig


class DebriefsConfig(AppConfig):
    name = "learnloop.debriefs"
    label = "debriefs"
    verbose_name = "Debriefs"

    def ready(self) -> None:
        from learnloop.applause.registry import register as reactable
        from learnloop.web.nav import register

        register("Deliverables", "debriefs:list", 42)
        reactable("entry", "debriefs.DebriefEntry", recipient="author_id", label="debrief entry")
