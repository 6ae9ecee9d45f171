from django.urls import path

from learnloop.applause import views
from learnloop.incidents import urls as incident_urls  # noqa: F401 - registers `sint`

app_name = "applause"
urlpatterns = [
    path("<slug:kind>/<sint:object_id>/<slug:emoji>/", views.toggle, name="toggle"),
]
