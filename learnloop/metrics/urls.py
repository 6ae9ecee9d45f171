from django.urls import path

from learnloop.metrics import views

app_name = "metrics"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/", views.organisation, name="organisation"),
    path(
        "organisation/<slug:metric>.csv",
        views.organisation_export,
        {"fmt": "csv"},
        name="organisation-csv",
    ),
    path(
        "organisation/<slug:metric>.json",
        views.organisation_export,
        {"fmt": "json"},
        name="organisation-json",
    ),
    path("teams/<slug:slug>/", views.team, name="team"),
    path("teams/<slug:slug>/<slug:metric>.csv", views.team_export, {"fmt": "csv"}, name="team-csv"),
    path(
        "teams/<slug:slug>/<slug:metric>.json", views.team_export, {"fmt": "json"}, name="team-json"
    ),
]
