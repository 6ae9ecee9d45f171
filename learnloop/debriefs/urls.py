from django.urls import path

from learnloop.debriefs import views, views_spread

app_name = "debriefs"
urlpatterns = [
    path("", views.deliverable_list, name="list"),
    path("new/", views.deliverable_create, name="create"),
    path("<int:pk>/", views.deliverable_detail, name="detail"),
    path("<int:pk>/edit/", views.deliverable_edit, name="edit"),
    path("<int:pk>/close/", views.deliverable_close, name="close"),
    path("<int:pk>/summary.md", views.deliverable_summary, name="summary"),
    path("<int:pk>/applied/", views.lesson_applied, name="applied"),
    path("recognition/", views_spread.spread_page, name="spread"),
    path("settings/<slug:slug>/", views_spread.nudge_settings, name="nudge-settings"),
    path("<int:pk>/reopen/", views.deliverable_reopen, name="reopen"),
    path("<int:pk>/entries/", views.entry_add, name="entry-add"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry"),
    path("entries/<int:entry_id>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry-delete"),
]
