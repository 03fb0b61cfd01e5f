"""The JSON API under /api/: OpenAPI schema at /api/openapi.json, interactive docs at /api/docs."""

from csp.decorators import csp_update
from ninja import NinjaAPI

from org.api import ApiKeyAuth, SessionAuth
from org.api import router as org_router
from plans.api import router as plans_router

api = NinjaAPI(
    title="CCHC API",
    version="1",
    description=(
        "Administrative-reform work of communes and wards. Authenticate with "
        "`Authorization: Bearer <token>` (tokens: `manage.py create_api_token`) or a logged-in "
        "session. Every endpoint applies the same scoping rules as the pages."
    ),
    auth=[ApiKeyAuth(), SessionAuth()],
    # The docs page styles itself inline; allow that there only.
    docs_decorator=csp_update({"style-src": ["'self'", "'unsafe-inline'"]}),
    urls_namespace="api",
)
api.add_router("/", org_router)
api.add_router("/", plans_router)
