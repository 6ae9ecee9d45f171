"""The request a signed-in view or API operation receives. `login_required` (web) and the API's
token or session authentication (every operation) let only signed-in people through, so
``request.user`` is a Learnloop `User`, never `AnonymousUser`. Annotating ``request`` with this
type states that to the type checker; it changes nothing at run time."""

from __future__ import annotations

from learnloop.accounts.models import User
from learnloop.core.http import HtmxHttpRequest


class AuthedHttpRequest(HtmxHttpRequest):
    user: User
