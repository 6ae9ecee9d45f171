from django.urls import include, path

from learnloop.reviews import views

app_name = "reviews"

urlpatterns: list = [
    path("", views.review_list, name="list"),
    path("new/", views.review_create, name="create"),
    path("templates/", views.template_list, name="template-list"),
    path("templates/<int:pk>/copy/", views.template_copy, name="template-copy"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template-edit"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/edit/", views.review_edit, name="edit"),
    path("<int:pk>/save/", views.review_save, name="save"),
    path("<int:pk>/preview/", views.review_preview, name="preview"),
    path("<int:pk>/status/", views.review_status, name="status"),
    path("<int:pk>/participants/", views.review_participants, name="participants"),
    path("<int:pk>/notes/", views.private_note, name="notes"),
    path("<int:pk>/history/", views.review_history, name="history"),
    path("<int:pk>/history/<int:version>/", views.review_revision, name="revision"),
    path("", include("learnloop.reviews.urls_meeting_comments_export")),
]
