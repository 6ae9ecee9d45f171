"""Routes for review meetings, comments and exports (mounted under /reviews/)."""

from django.urls import path

from learnloop.reviews import views_meeting_comments_export as views

urlpatterns: list = [
    path("<int:pk>/extras/", views.panel, name="extras"),
    path("<int:pk>/meeting/", views.meeting_schedule, name="meeting"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="meeting-ics"),
    path("<int:pk>/comments/", views.comments, name="comments"),
    path("<int:pk>/comments/<int:cid>/delete/", views.comment_delete, name="comment-delete"),
    path("<int:pk>/export.md", views.export_markdown, name="export-md"),
    path("<int:pk>/print/", views.print_page, name="print"),
]
