from django.urls import path

from learnloop.journal import views

app_name = "journal"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("new/", views.entry_new, name="new"),
    path("frameworks/", views.frameworks, name="frameworks"),
    path("frameworks/<int:pk>/delete/", views.framework_delete, name="framework-delete"),
    path("reminder/", views.reminder, name="reminder"),
    path("shared/", views.entry_shared, name="shared"),
    path("export/", views.journal_export, name="export"),
    path("<int:pk>/", views.entry_detail, name="detail"),
    path("<int:pk>/edit/", views.entry_edit, name="edit"),
    path("<int:pk>/delete/", views.entry_delete, name="delete"),
    path("<int:pk>/share/", views.entry_share, name="share"),
]
