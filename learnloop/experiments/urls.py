from django.urls import path

from learnloop.experiments import (
    views,
    views_diagnostic,
    views_portfolio,
    views_related,
    views_rules,
    views_showcase,
)

app_name = "experiments"
urlpatterns = [
    path("", views.experiment_list, name="list"),
    path("new/", views.create, name="create"),
    path("related/", views_related.related_partial, name="related"),
    path("portfolio/", views_portfolio.portfolio_page, name="portfolio"),
    path("rules/<slug:slug>/", views_rules.rules, name="rules"),
    path("diagnostic/", views_diagnostic.diagnostic_page, name="diagnostic"),
    path("diagnostic/pulse/", views_diagnostic.pulse_open, name="pulse"),
    path("showcases/", views_showcase.showcase_list, name="showcases"),
    path("showcases/<int:pk>/", views_showcase.showcase_detail, name="showcase"),
    path(
        "showcases/<int:pk>/settings/",
        views_showcase.showcase_settings,
        name="showcase-settings",
    ),
    path("showcases/<int:pk>/refresh/", views_showcase.showcase_refresh, name="showcase-refresh"),
    path("showcases/<int:pk>/items/", views_showcase.item_add, name="showcase-item-add"),
    path(
        "showcases/<int:pk>/items/<int:item_id>/move/",
        views_showcase.item_move,
        name="showcase-item-move",
    ),
    path(
        "showcases/<int:pk>/items/<int:item_id>/presented/",
        views_showcase.item_presented,
        name="showcase-item-presented",
    ),
    path(
        "showcases/<int:pk>/items/<int:item_id>/remove/",
        views_showcase.item_remove,
        name="showcase-item-remove",
    ),
    path("showcases/<int:pk>/showcase.md", views_showcase.showcase_md, name="showcase-md"),
    path(
        "showcases/<int:pk>/showcase.ics", views_showcase.showcase_invitation, name="showcase-ics"
    ),
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
