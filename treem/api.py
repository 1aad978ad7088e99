"""The REST API: the same services and scope rules as the web UI, under /api/v1/.

Its contract (error shape, bounds of every input, documented answers) is treem.api_support's;
docs/api.md describes it for integrators."""

from treem.accounts.api import router as accounts_router
from treem.api_support import TreemApi
from treem.cases.api import router as cases_router
from treem.dhis2.api import router as dhis2_router
from treem.fund.api import router as fund_router
from treem.fund.api_ledger import router as fund_ledger_router
from treem.fund.api_needs import router as fund_needs_router
from treem.fund.api_public import router as fund_public_router
from treem.indicators.api import router as indicators_router
from treem.indicators.entry_api import router as figures_router
from treem.offline.api import router as offline_router
from treem.plans.activities.api import router as activities_router
from treem.plans.activities.named_api import router as named_children_router
from treem.plans.activities.recommendation_api import router as activity_recommendations_router
from treem.plans.api import router as plans_router
from treem.plans.child_friendly.api import router as child_friendly_router
from treem.plans.file_api import router as plan_files_router
from treem.plans.implementation_api import router as plan_implementation_router
from treem.plans.progress_api import router as plan_progress_router
from treem.plans.task_api import router as plan_tasks_router
from treem.privacy.alerts.api import router as privacy_alerts_router
from treem.privacy.api import router as privacy_router
from treem.privacy.extracts.api import router as privacy_extracts_router
from treem.privacy.population.api import router as population_router
from treem.privacy.retention.api import router as privacy_retention_router
from treem.registry.api import router as registry_router
from treem.registry.consent.api import router as consents_router
from treem.registry.dedup.api import router as duplicates_router
from treem.registry.importing.api import router as import_router
from treem.reports.api import router as reports_router
from treem.units.api import router as geo_router

api = TreemApi(
    title="treem API",
    version="1",
    description=(
        "Hệ thống thông tin bảo vệ trẻ em — API. Xác thực: `Authorization: Bearer <khóa>` "
        "(khóa lấy từ `POST /api/v1/auth/token` hoặc trang cá nhân). Mọi lỗi trả về cùng một "
        "dạng `ErrorOut` (`detail`, `code`, `errors`), bằng tiếng Việt. Mô tả đầy đủ: docs/api.md."),
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", accounts_router)
api.add_router("/", geo_router)
api.add_router("/", registry_router)
api.add_router("/", consents_router)
api.add_router("/", duplicates_router)
api.add_router("/", import_router)
api.add_router("/", cases_router)
api.add_router("/", indicators_router)
api.add_router("/", figures_router)
api.add_router("/", reports_router)
api.add_router("/", dhis2_router)
api.add_router("/", plans_router)
api.add_router("/", plan_tasks_router)
api.add_router("/", plan_progress_router)
api.add_router("/", plan_implementation_router)
api.add_router("/", plan_files_router)
api.add_router("/", activities_router)
api.add_router("/", activity_recommendations_router)
api.add_router("/", named_children_router)
api.add_router("/", child_friendly_router)
api.add_router("/", fund_router)
api.add_router("/", fund_ledger_router)
api.add_router("/", fund_needs_router)
api.add_router("/", fund_public_router)
api.add_router("/", privacy_router)
api.add_router("/", privacy_retention_router)
api.add_router("/", privacy_extracts_router)
api.add_router("/", population_router)
api.add_router("/", privacy_alerts_router)
api.add_router("/", offline_router)
