from django.urls import path

from learnloop.chat import views

app_name = "chat"
urlpatterns = [
    path("", views.settings_page, name="settings"),
    path("slack/commands", views.slack_command, name="slack-command"),
    path("slack/link/<str:token>/", views.link_page, name="link"),
    path("slack/unlink/", views.unlink, name="unlink"),
]
