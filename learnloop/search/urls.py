from django.urls import path

from learnloop.search import views

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("related/", views.related_partial, name="related"),
]
