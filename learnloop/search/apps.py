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
