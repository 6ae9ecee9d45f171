"""Django's SQLite backend with the before-commit hook (``learnloop/core/commit_hooks.py``)."""

from django.db.backends.sqlite3 import base

from learnloop.core.backends.hooked import CommitHooksMixin


class DatabaseWrapper(CommitHooksMixin, base.DatabaseWrapper):
    pass
