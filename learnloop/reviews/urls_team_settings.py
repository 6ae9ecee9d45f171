from django.urls import path

from learnloop.reviews import views_team_settings

urlpatterns = [
    path(
        "teams/<slug:slug>/settings/",
        views_team_settings.team_settings_page,
        name="team-settings",
    ),
]
