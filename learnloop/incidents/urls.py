from django.urls import path, register_converter

from learnloop.incidents import clicked, views


class SignedIntConverter:
    """Incident ids may be negative: anonymous reports get random ids outside the sequence."""

    regex = "-?[0-9]+"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(SignedIntConverter, "sint")

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_new, name="new"),
    path("thanks/", views.incident_thanks, name="thanks"),
    path("clicked/", clicked.clicked, name="clicked"),
    path("clicked/thanks/", clicked.clicked_thanks, name="clicked-thanks"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("settings/", views.severity_settings, name="settings"),
    path("<sint:pk>/", views.incident_detail, name="detail"),
    path("<sint:pk>/edit/", views.incident_edit, name="edit"),
]
