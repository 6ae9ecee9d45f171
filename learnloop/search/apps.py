from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "learnloop.search"
    label = "search"
    verbose_name = "Search and related suggestions"

    def ready(self) -> None:
        from learnloop.lessons import hooks
        from learnloop.search import sync
        from learnloop.web.nav import register

        sync.connect_signals()
        hooks.listen(changed=sync.lesson_changed, deleted=sync.lesson_deleted)
        register("Search", "search:search", 45)
