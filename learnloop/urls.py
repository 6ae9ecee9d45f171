from django.contrib import admin
from django.urls import include, path

from learnloop.api.router import api
from learnloop.web.views import healthz

admin.site.site_header = "Learnloop operator admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("", include("learnloop.accounts.urls")),
    path("", include("learnloop.web.urls")),
]
