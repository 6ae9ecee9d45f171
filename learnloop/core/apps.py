from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "learnloop.core"
    label = "core"

    def warm_up(self) -> None:
        """In gunicorn's master before the fork (``core.warmup``): the memory the workers share
        computed figures through (``core.shared_memory``, decision 0174)."""
        from learnloop.core import shared_memory

        shared_memory.create(served=True)
