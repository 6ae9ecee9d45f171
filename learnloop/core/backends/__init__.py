"""Django's SQLite and PostgreSQL backends with a before-commit hook (``core/commit_hooks.py``)."""
