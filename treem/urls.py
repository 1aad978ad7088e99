from django.urls import include, path
from django.views.generic import RedirectView

from treem.api import api
from treem.web.views import healthz_view

urlpatterns = [
    path("", include("treem.web.urls")),
    path("accounts/", include("treem.accounts.urls")),
    path("units/", include("treem.units.urls")),
    path("audit/", include("treem.auditlog.urls")),
    path("children/", include("treem.registry.urls")),
    path("cases/", include("treem.cases.urls")),
    path("indicators/", include("treem.indicators.urls")),
    path("reports/", include("treem.reports.urls")),
    path("dhis2/", include("treem.dhis2.urls")),
    path("plans/", include("treem.plans.urls")),
    path("fund/", include("treem.fund.urls")),
    path("privacy/", include("treem.privacy.urls")),
    path("offline/", include("treem.offline.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", healthz_view, name="healthz"),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api_docs"),
]

handler400 = "treem.web.views.bad_request_view"
