"""The Django admin is the operator's, and only the operator's (decision 0017).

It edits every organisation's rows, so it must never open to an organisation's admin: those
manage their organisation in the product. ``has_permission`` asks for an operator (a superuser
in no organisation), not merely ``is_staff``, so a stray staff flag on an organisation's member
does not open it either.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class OperatorAdminSite(admin.AdminSite):
    site_header = "Learnloop operator admin"
    site_title = "Learnloop operator admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and getattr(user, "is_operator", False))


class OperatorAdminConfig(AdminConfig):
    default_site = "learnloop.accounts.admin_site.OperatorAdminSite"
