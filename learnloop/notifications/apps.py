from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "learnloop.notifications"
    label = "notifications"
