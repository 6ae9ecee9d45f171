"""The weekly digest's scheduler: every 10 minutes it sends the digests whose time has come."""

from __future__ import annotations

import datetime as dt

from learnloop.tasks.registry import job


@job("notifications.send_digests", every=dt.timedelta(minutes=10))
def send_digests() -> None:
    from learnloop.notifications.digest import digests_send_due

    digests_send_due()
