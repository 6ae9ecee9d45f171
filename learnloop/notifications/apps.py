from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications; the bell with the unread count sits in the site header.

    Also the weekly digest, whose sections apps add in a ``digest_sections.py`` module
    (``notifications.digest.section``), discovered here at start-up (decision 0191).
    """

    name = "learnloop.notifications"
    label = "notifications"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("digest_sections")
