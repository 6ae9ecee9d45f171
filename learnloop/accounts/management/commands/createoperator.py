from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from learnloop.accounts import services
from learnloop.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Create an operator account: the install's Django admin at /admin/ (every organisation). "
        "It belongs to no organisation and sees no organisation's content in the product."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email")
        parser.add_argument("--name", default="")
        parser.add_argument(
            "--password-env",
            default="LEARNLOOP_OPERATOR_PASSWORD",
            help="read the password from this environment variable instead of prompting",
        )

    def handle(
        self, *args: Any, email: str | None, name: str, password_env: str, **options: Any
    ) -> None:
        email = email or input("Email: ").strip()
        password = os.environ.get(password_env) or getpass.getpass(
            "Password (at least 10 characters): "
        )
        try:
            user = services.operator_create(email=email, password=password, display_name=name)
        except ApplicationError as exc:
            raise CommandError(exc.as_text()) from None
        self.stdout.write(
            self.style.SUCCESS(f"Created operator {user.email} (sign in at /admin/).")
        )
