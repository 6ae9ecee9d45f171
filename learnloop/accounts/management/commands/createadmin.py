from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.accounts import services
from learnloop.accounts.models import Organisation
from learnloop.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an organisation administrator (and the organisation on a new install)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email")
        parser.add_argument("--name", default="")
        parser.add_argument("--organisation", help="organisation name (new install only)")
        parser.add_argument(
            "--password-env",
            default="LEARNLOOP_ADMIN_PASSWORD",
            help="read the password from this environment variable instead of prompting",
        )

    def handle(
        self,
        *args: Any,
        email: str | None,
        name: str,
        organisation: str | None,
        password_env: str,
        **options: Any,
    ) -> None:
        email = email or input("Email: ").strip()
        password = os.environ.get(password_env) or getpass.getpass(
            "Password (at least 10 characters): "
        )
        try:
            org = Organisation.objects.order_by("id").first()
            if org is None:
                org_name = organisation or input("Organisation name: ").strip()
                user = services.organisation_create_with_admin(
                    organisation_name=org_name, email=email, password=password, display_name=name
                )
            else:
                user = services.user_create(
                    email=email,
                    password=password,
                    display_name=name,
                    organisation=org,
                    is_org_admin=True,
                )
        except ApplicationError as exc:
            raise CommandError(exc.as_text()) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created organisation admin {user.email} in {user.organisation}.")
        )
