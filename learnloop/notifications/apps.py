from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications; the bell with the unread count sits in the site header.

    Also the weekly digest, whose sections apps add in a ``digest_sections.py`` module
    (``notifications.digest.section``), discovered here at start-up (decision 0191). The bell
    is registered with ``web.chrome`` for pages whose chrome is written in Python (0238).
    """

    name = "learnloop.notifications"
    label = "notifications"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("digest_sections")

        from learnloop.notifications.templatetags.notifications_tags import bell_of
        from learnloop.web.chrome import register_bell

        register_bell(bell_of)
