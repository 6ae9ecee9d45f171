from django.urls import path

from learnloop.incidents import urls as incident_urls  # noqa: F401 - registers `sint`
from learnloop.lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.lesson_create, name="create"),
    path("<sint:pk>/", views.lesson_detail, name="detail"),
    path("<sint:pk>/edit/", views.lesson_edit, name="edit"),
    path("<sint:pk>/delete/", views.lesson_delete, name="delete"),
    path("<sint:pk>/apply/", views.lesson_apply, name="apply"),
    path("from-review/<int:review_id>/", views.from_review, name="from-review"),
]
