from django.urls import path

from learnloop.drills import views, views_pledge

app_name = "drills"

urlpatterns = [
    path("", views.drill_list, name="list"),
    path("new/", views.drill_new, name="new"),
    path("campaigns/", views.campaign_page, name="campaigns"),
    path("pledge/", views_pledge.pledge_page, name="pledge"),
    path("<int:pk>/", views.drill_detail, name="detail"),
    path("<int:pk>/edit/", views.drill_edit, name="edit"),
    path("<int:pk>/after-action/", views.drill_after_action, name="after-action"),
    path("<int:pk>/findings/", views.finding_add, name="finding-add"),
    path("findings/<int:pk>/to-<str:to>/", views.finding_promote, name="finding-promote"),
]
