from django.urls import include, path  # noqa: F401

app_name = "reviews"

urlpatterns: list = [
    path("", include("learnloop.reviews.urls_extras")),
]
