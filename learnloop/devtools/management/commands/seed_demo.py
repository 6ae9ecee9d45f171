from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from learnloop.accounts.models import Organisation, User
from learnloop.core.demo import STEPS, DemoContext

DEMO_SLUG = "crumb-and-co-demo"


class Command(BaseCommand):
    help = "Load a demo organisation (Crumb & Co, a bakery with deliveries) to explore Learnloop."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--password", help="password for every demo account (default: random, printed)"
        )

    def handle(self, *args: Any, password: str | None, **options: Any) -> None:
        if Organisation.objects.filter(slug=DEMO_SLUG).exists():
            raise CommandError(
                "The demo organisation is already loaded (sign in as amara@demo.learnloop.test)."
            )
        password = password or secrets.token_urlsafe(9)
        if len(password) < 10:
            password = password + secrets.token_urlsafe(6)
        autodiscover_modules("demo")
        with transaction.atomic():
            org = Organisation.objects.create(name="Crumb & Co (demo)", slug=DEMO_SLUG)
            ctx = DemoContext(organisation=org, teams={}, users={}, extra={"password": password})
            for _, func in sorted(STEPS, key=lambda s: s[0]):
                func(ctx)
            amara = ctx.users["amara"]
            User.objects.filter(pk=amara.pk).update(is_org_admin=True)
        self.stdout.write(self.style.SUCCESS("Demo organisation loaded: Crumb & Co (demo)"))
        self.stdout.write(
            f"Sign in as amara@demo.learnloop.test (organisation admin) or any of: "
            f"{', '.join(u.email for k, u in ctx.users.items() if k != 'amara')}"
        )
        self.stdout.write(f"Password for every demo account: {password}")
