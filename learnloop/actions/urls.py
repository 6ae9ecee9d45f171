from django.urls import path

from learnloop.actions import views

app_name = "actions"
urlpatterns = [
    path("", views.follow_through, name="list"),
    path("mine/", views.mine, name="mine"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/status/", views.set_status, name="status"),
]
