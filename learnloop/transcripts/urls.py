from django.urls import path

from learnloop.transcripts import views

app_name = "transcripts"
urlpatterns = [
    path("", views.transcript_list, name="list"),
    path("new/", views.transcript_new, name="new"),
    path("<int:pk>/", views.transcript_detail, name="detail"),
    path("<int:pk>/edit/", views.transcript_edit, name="edit"),
    path("<int:pk>/delete/", views.transcript_delete, name="delete"),
]
