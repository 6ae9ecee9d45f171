from django.urls import path

from learnloop.coach import views

app_name = "coach"

urlpatterns = [
    path("check", views.check, name="check"),
    path("flags/<int:pk>/resolve", views.resolve, name="resolve"),
    path("flags/<int:pk>/dismiss", views.dismiss, name="dismiss"),
]
