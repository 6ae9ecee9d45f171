from django.urls import path

from learnloop.experiments import views, views_portfolio, views_related, views_rules

app_name = "experiments"
urlpatterns = [
    path("", views.experiment_list, name="list"),
    path("new/", views.create, name="create"),
    path("related/", views_related.related_partial, name="related"),
    path("portfolio/", views_portfolio.portfolio_page, name="portfolio"),
    path("rules/<slug:slug>/", views_rules.rules, name="rules"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/applied/", views_related.applied, name="applied"),
    path("<int:pk>/learning-card/", views.learning_card, name="learning-card"),
    path("<int:pk>/cards/<int:learning_card_pk>/lesson/", views.make_lesson, name="make-lesson"),
]
