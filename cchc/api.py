"""The JSON API under /api/: OpenAPI schema at /api/openapi.json, interactive docs at /api/docs.
Each domain offers its router in `<app>/api.py`; this module puts them together."""

from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI

from core.api import document_errors
from initiatives.api import router as initiatives_router
from inspections.api import router as inspections_router
from org.api import ApiKeyAuth, SessionAuth
from org.api import router as org_router
from plans.api import router as plans_router
from reports.api import router as reports_router
from scoring.api import router as scoring_router
from surveys.api import router as surveys_router


class Api(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = Api(
    title="CCHC API",
    version="1",
    description=(
        "Administrative-reform work of communes and wards. Authenticate with "
        "`Authorization: Bearer <token>` (tokens: `manage.py create_api_token`) or a logged-in "
        "session. Every endpoint applies the same scoping rules as the pages: another unit's "
        "object answers 404, as if it did not exist."
    ),
    auth=[ApiKeyAuth(), SessionAuth()],
    # The docs page styles itself inline; allow that there only.
    docs_decorator=csp_update({"style-src": ["'self'", "'unsafe-inline'"]}),
    urls_namespace="api",
)
for router in (
    org_router,
    plans_router,
    scoring_router,
    inspections_router,
    reports_router,
    surveys_router,
    initiatives_router,
):
    api.add_router("/", router)


@api.exception_handler(PermissionDenied)
def refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ValidationError)
def refused_by_rules(request, exc):
    """A well-formed request that the object's rules refuse in its present state (a locked
    self-assessment, a task with open milestones…): 409, with the page's Vietnamese message."""
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)
