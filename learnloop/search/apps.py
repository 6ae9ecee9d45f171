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
        """Import what the dense stage's model needs in the serving master, before the workers
        fork (``core.warmup``, decision 0077): numpy and the tokenizers, shared by every worker,
        instead of each importing them on its first page with related suggestions, all at once
        under load. Never onnxruntime nor the model's session: a worker forked after
        onnxruntime is imported aborts when it exits (``std::system_error``, SIGABRT); each
        worker makes its session (:meth:`warm_up_worker`). No database, no thread."""
        import numpy  # noqa: F401
        import tokenizers  # noqa: F401

    def warm_up_worker(self) -> None:
        """In each worker right after the fork (``core.warmup.warm_worker``), before it takes
        its first request: make the dense model's session (about 0.3 s of CPU). Decision 0250:
        made on a background thread while the worker already answered, the first page after
        `serve` reported healthy took 0.53-0.57 s in 3 of 6 cold starts (31-92 ms in 6 of 6
        made here). Nothing happens when the model is not installed or is switched off
        (``LEARNLOOP_DENSE=0``)."""
        import logging

        from learnloop.search import dense

        try:
            dense.enabled()
        except Exception:  # never keep a worker from serving: the first related call retries
            logging.getLogger(__name__).exception("making the dense model's session failed")
