from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "learnloop.web"
    label = "web"

    def ready(self) -> None:
        from learnloop.core import commit_hooks
        from learnloop.web import data_version

        # The page cache's data version moves inside every writing transaction, after the
        # other hooks have written what they defer to the commit (decision 0076).
        data_version.install()
        commit_hooks.register(
            "page-versions",
            before_commit=data_version.flush,
            after_rollback=data_version.discard,
            last=True,
        )
