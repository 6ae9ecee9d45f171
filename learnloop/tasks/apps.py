from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "learnloop.tasks"
    label = "tasks"

    def ready(self) -> None:
        # Import every app's tasks module so the registry knows all job names in any process.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
