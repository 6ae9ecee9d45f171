from django.urls import path

from learnloop.lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.lesson_create, name="create"),
    path("<int:pk>/", views.lesson_detail, name="detail"),
    path("<int:pk>/edit/", views.lesson_edit, name="edit"),
    path("<int:pk>/delete/", views.lesson_delete, name="delete"),
    path("<int:pk>/apply/", views.lesson_apply, name="apply"),
    path("from-review/<int:review_id>/", views.from_review, name="from-review"),
]
