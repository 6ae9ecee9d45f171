from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications; the bell with the unread count sits in the site header."""

    name = "learnloop.notifications"
    label = "notifications"
