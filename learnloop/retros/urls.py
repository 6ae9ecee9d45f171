from django.urls import path

import learnloop.incidents.urls  # noqa: F401 - registers the "sint" converter (negative ids)
from learnloop.retros import views, views_board, views_formats, views_settings, views_share

app_name = "retros"
urlpatterns = [
    path("", views.retro_list, name="list"),
    path("new/", views.retro_create, name="create"),
    path("formats/", views_formats.format_list, name="formats"),
    path("share/<slug:slug>/decide/", views_share.share_decide, name="share-decide"),
    path("share/<slug:slug>/draw/", views_share.share_draw, name="share-draw"),
    path("share/<slug:slug>/me/", views_share.share_me, name="share-me"),
    path("formats/<int:pk>/copy/", views_formats.format_copy, name="format-copy"),
    path("formats/<int:pk>/edit/", views_formats.format_edit, name="format-edit"),
    path("<int:pk>/", views.retro_detail, name="detail"),
    path("<int:pk>/state/", views.retro_state, name="state"),
    path("<int:pk>/settings/", views_settings.retro_settings, name="settings"),
    path("<int:pk>/phase/", views.retro_phase, name="phase"),
    path("<int:pk>/timer/", views.retro_timer, name="timer"),
    path("<int:pk>/meeting.ics", views.retro_ics, name="ics"),
    path("<int:pk>/export.md", views.retro_export, name="export"),
    path("<int:pk>/carry-over/<int:action_pk>/", views.carry_over_mark, name="carry-over"),
    path("<int:pk>/cards/", views_board.card_write, name="card-write"),
    path("<int:pk>/cards/<sint:card_pk>/", views_board.card_edit, name="card-edit"),
    path("<int:pk>/cards/<sint:card_pk>/group/", views_board.card_group, name="card-group"),
    path("<int:pk>/topics/<int:topic_pk>/title/", views_board.topic_title, name="topic-title"),
    path("<int:pk>/topics/<int:topic_pk>/vote/", views_board.topic_vote, name="topic-vote"),
    path("<int:pk>/topics/<int:topic_pk>/notes/", views_board.topic_notes, name="topic-notes"),
    path("<int:pk>/actions/", views_board.topic_action, name="action"),
    path("<int:pk>/lessons/", views_board.topic_lesson, name="lesson"),
]
