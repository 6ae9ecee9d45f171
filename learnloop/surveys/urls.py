from django.urls import path

from learnloop.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.round_list, name="list"),
    path("new/", views.round_open, name="open"),
    path("organisation/", views.organisation, name="organisation"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/answer/", views.round_answer, name="answer"),
    path("<int:pk>/close/", views.round_close, name="close"),
    path("<int:pk>/extend/", views.round_extend, name="extend"),
]
