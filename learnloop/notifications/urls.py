from django.urls import path

from learnloop.notifications import views, views_preferences

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("preferences/", views_preferences.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views_preferences.unsubscribe, name="unsubscribe"),
]
