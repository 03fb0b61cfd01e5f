"""The initiatives register in the API. Read-only, scoped like the pages."""

from datetime import date

from ninja import Field, Router
from ninja.pagination import paginate

from core.api import Id, UnitRowOut, Year
from initiatives.models import Initiative, InitiativeStatus
from org.shortcuts import visible_or_404, visible_rows

router = Router(tags=["initiatives"])


class InitiativeOut(UnitRowOut):
    title: str
    authors: str
    department: str | None = Field(None, alias="department.name")
    reform_area: str
    applied_on: date | None
    status: str
    sent_on: date | None
    decided_on: date | None


def _initiatives():
    return Initiative.objects.select_related("unit", "department")


@router.get("/initiatives", response=list[InitiativeOut], summary="Initiatives of the register")
@paginate
def list_initiatives(
    request, year: Year = None, status: InitiativeStatus | None = None, unit: str = ""
):
    return visible_rows(
        request,
        _initiatives(),
        "-created_at",
        "pk",
        created_at__year=year,
        status=status,
        unit__code=unit,
    )


@router.get("/initiatives/{initiative_id}", response=InitiativeOut)
def get_initiative(request, initiative_id: Id):
    return visible_or_404(request, _initiatives(), initiative_id)
