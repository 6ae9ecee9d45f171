"""Claims of the test provider: email, whether it is verified (people in the group
``email-unverified`` are not), and name."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):  # type: ignore[misc]
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name="email-unverified").exists(),
            "name": user.get_full_name(),
        }
