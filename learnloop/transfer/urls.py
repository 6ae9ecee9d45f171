from django.urls import path

from learnloop.transfer import views

app_name = "transfer"
urlpatterns = [
    path("teams/<slug:slug>/import-csv/", views.import_csv, name="import-csv"),
]
