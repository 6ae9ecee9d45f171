"""Routes for review meetings, comments and exports (mounted under /reviews/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
