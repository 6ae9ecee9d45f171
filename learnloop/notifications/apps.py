from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "learnloop.notifications"
    label = "notifications"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Notifications", "notifications:list", 80)
