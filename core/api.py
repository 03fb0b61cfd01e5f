"""What every domain's API router shares: bounded identifiers and pages, the error body, and the
status codes every operation may answer (written into the OpenAPI schema once, here)."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Path, Query, Schema
from ninja.pagination import LimitOffsetPagination

# Database keys are 32-bit on PostgreSQL: a larger number can name nothing, and is refused (422)
# before it reaches the database, where it would overflow.
MAX_ID = 2_147_483_647
MAX_LIMIT = 500
MAX_OFFSET = 10_000_000

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalId = Annotated[int | None, Query(None, ge=1, le=MAX_ID)]
Year = Annotated[int | None, Query(None, ge=2000, le=2100)]
Level = Annotated[int | None, Query(None, ge=1, le=9)]


class UnitRowOut(Schema):
    """A row that belongs to one unit: its key and its unit's code."""

    id: int
    unit_code: str = Field(..., alias="unit.code")


class ErrorOut(Schema):
    """An error: a sentence (404, 403, 401), or the list of invalid parameters (422)."""

    detail: Any


class Pagination(LimitOffsetPagination):
    """Limit and offset, bounded so that no page asks the database for the impossible."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
COMMON_ERRORS = {
    "401": "Not signed in, or the token is unknown or revoked",
    "422": "A parameter or the body is invalid",
}
PATH_ERRORS = {"404": "Not found, or not visible to the caller"}
WRITE_ERRORS = {
    "400": "The body is not valid JSON",
    "403": "The caller may see this but not change it",
    "409": "Refused by the object's rules in its present state (the message says why)",
}


def document_errors(schema: dict) -> dict:
    """Add to every operation of an OpenAPI schema the errors it may answer, with their body."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ErrorOut.model_json_schema())
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if not operation.get("security"):
                continue  # public: nothing to sign in to
            errors = dict(COMMON_ERRORS)
            if "{" in path:
                errors |= PATH_ERRORS
            if method.lower() != "get":
                errors |= WRITE_ERRORS | PATH_ERRORS
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": ERROR_REF}},
                    },
                )
    return schema
