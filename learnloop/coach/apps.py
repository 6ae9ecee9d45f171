from django.apps import AppConfig


class CoachConfig(AppConfig):
    """The blame coach: a pure-Python engine (the engine package) plus its place in the product (hints
    while typing, flags that stay resolved or dismissed, counts per review)."""

    name = "learnloop.coach"
    label = "coach"
    verbose_name = "Blame coach"

    def ready(self) -> None:
        from learnloop.coach import signals  # noqa: F401 - connects the publish sync

    def warm_up_worker(self) -> None:
        """In each gunicorn worker right after the fork (``core.warmup.warm_worker``), before it
        takes its first request: make the coach's reader session (decision 0251; about 0.4 s of
        CPU), as the search app makes the dense model's (decision 0250), instead of on the
        worker's first analysis. Nothing happens when the reader is switched off
        (``LEARNLOOP_COACH_LEARNED=0``) or not installed; never in the master, where
        onnxruntime must not be imported before the fork."""
        import logging

        from learnloop.coach.engine import learned

        if not learned.on_by_default():
            return
        try:
            learned.available()
        except Exception:  # never keep a worker from serving: the first analysis retries
            logging.getLogger(__name__).exception("making the coach reader's session failed")
