from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "learnloop.reviews"
    label = "reviews"

    def ready(self) -> None:
        from learnloop.web.nav import register

        register("Reviews", "reviews:list", 30)
