"""``/api/organisation/sso``: the organisation's single sign-on choices for its organisation
admins (decision 0200), the same service as the settings page: which email domains get an
account on their first sign-in, and "SSO only". A stale save is refused (409 with
``current_version``). The provider's credentials are the deployment's
(``LEARNLOOP_OIDC_*``): the API says whether a client secret is set, never what it is."""

from django.conf import settings
from ninja import Field, Router, Schema

from learnloop.accounts import sso
from learnloop.accounts.http import AuthedHttpRequest
from learnloop.accounts.models import Organisation
from learnloop.accounts.sso_settings import sso_settings_update
from learnloop.api.errors import errors
from learnloop.api.types import BodyIn, JsonBool, JsonInt
from learnloop.core.errors import NotFound

router = Router(tags=["sso"])


class SSOSettingsOut(Schema):
    provision_domains: list[str]
    sso_only: bool
    version: int
    set_up: bool = Field(..., description="A provider is configured for this organisation")
    provider_name: str
    issuer: str
    client_id: str
    client_secret_set: bool = Field(..., description="Whether a client secret is configured")


class SSOSettingsIn(BodyIn):
    provision_domains: list[str] = []
    sso_only: JsonBool = False
    version: JsonInt


def _organisation(request: AuthedHttpRequest) -> Organisation:
    org = request.user.organisation
    if not request.user.is_org_admin or org is None:
        raise NotFound()
    return org


def _out(org: Organisation) -> SSOSettingsOut:
    set_up = sso.configured() and org.slug == settings.OIDC_ORGANISATION
    return SSOSettingsOut(
        **sso.organisation_sso(org),
        version=org.version,
        set_up=set_up,
        provider_name=settings.OIDC_PROVIDER_NAME,
        issuer=settings.OIDC_ISSUER if set_up else "",
        client_id=settings.OIDC_RP_CLIENT_ID if set_up else "",
        client_secret_set=bool(set_up and settings.OIDC_RP_CLIENT_SECRET),
    )


@router.get("/sso", response={200: SSOSettingsOut, **errors(404)})
def sso_detail(request: AuthedHttpRequest) -> SSOSettingsOut:
    """Organisation admins only (others: 404)."""
    return _out(_organisation(request))


@router.put("/sso", response={200: SSOSettingsOut, **errors(403, 404, 422, conflict=True)})
def sso_put(request: AuthedHttpRequest, payload: SSOSettingsIn) -> SSOSettingsOut:
    """Replace the choices; send the ``version`` you read (a stale one is a 409)."""
    org = sso_settings_update(
        actor=request.user,
        organisation=_organisation(request),
        provision_domains=payload.provision_domains,
        sso_only=payload.sso_only,
        version=payload.version,
    )
    return _out(org)
