from django.urls import path

from learnloop.calendars import views

app_name = "calendars"
urlpatterns = [
    path("", views.calendar_page, name="page"),
    path("regenerate/", views.feed_regenerate, name="regenerate"),
    path("revoke/", views.feed_revoke, name="revoke"),
    path("feed/<str:secret>.ics", views.feed, name="feed"),
]
