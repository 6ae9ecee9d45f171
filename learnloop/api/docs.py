"""The API viewer at ``/api/docs``: Swagger UI served from our own static files (vendored from
npm, hashed by WhiteNoise), started by a static script, so the strict CSP (``script-src
'self'``, no inline script) holds and the page works offline (docs/decisions/0120)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

if TYPE_CHECKING:
    from ninja import NinjaAPI


class LocalSwagger(Swagger):
    """django-ninja renders its CDN template unless ``ninja`` is an installed app; this renders
    ours instead, which loads only ``vendor/swagger-ui-*`` and ``learnloop/api-docs.js``."""

    template = "api/docs.html"
    # No "Try it out" call to the public validator service; the page talks to this server only.
    default_settings = {"layout": "BaseLayout", "deepLinking": True, "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"api": api, "swagger_settings": settings}
        return render(request, self.template, context)
