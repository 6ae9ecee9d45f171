from django.urls import path

from learnloop.applause import views

app_name = "applause"
urlpatterns = [
    path("<slug:kind>/<int:object_id>/<slug:emoji>/", views.toggle, name="toggle"),
]
