from django.apps import AppConfig


class TransferConfig(AppConfig):
    """Import, export, backup and restore: the ways data enters and leaves an install."""

    name = "learnloop.transfer"
    label = "transfer"
    verbose_name = "Import, export, backup"
