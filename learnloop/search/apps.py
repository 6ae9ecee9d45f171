from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "learnloop.search"
    label = "search"
    verbose_name = "Search and related suggestions"

    def ready(self) -> None:
        from learnloop.core import commit_hooks
        from learnloop.lessons import hooks
        from learnloop.search import sync
        from learnloop.web.nav import register

        sync.connect_signals()
        commit_hooks.register(
            "search",
            before_commit=sync.flush_for_commit,
            after_rollback=sync.discard,
            after_savepoint_rollback=sync.recheck,
        )
        hooks.listen(changed=sync.lesson_changed, deleted=sync.lesson_deleted)
        register("Search", "search:search", 45)

    def warm_up(self) -> None:
        """Load the dense stage's model in the serving master, before the workers fork
        (``core.warmup``, decision 0077): every worker shares it, instead of each loading it
        (0.3-1.3 s of CPU) on its first page with related suggestions, all at once under load.
        No database, no thread is touched; nothing happens when the model is not installed."""
        from learnloop.search import dense

        dense.enabled()
