"""Satisfaction surveys in the API: campaigns and their results (shares and means), never the
individual answers. Read-only, scoped like the pages."""

from datetime import date
from decimal import Decimal

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from core.api import Id, UnitRowOut
from org.shortcuts import visible_or_404, visible_rows
from surveys import services
from surveys.models import Campaign

router = Router(tags=["surveys"])


class CampaignOut(UnitRowOut):
    title: str
    starts_on: date
    ends_on: date
    closed: bool


class SurveyFigureOut(Schema):
    label: str
    responses: int
    rated: int = Field(..., alias="count")
    satisfied: int
    satisfied_percent: Decimal | None = Field(None, alias="share")
    mean: Decimal | None


class CampaignResultsOut(Schema):
    campaign: CampaignOut
    responses: int
    excluded: int
    overall: SurveyFigureOut
    themes: list[SurveyFigureOut]


@router.get("/surveys/campaigns", response=list[CampaignOut], summary="Survey campaigns")
@paginate
def list_campaigns(request, unit: str = ""):
    campaigns = Campaign.objects.select_related("unit")
    return visible_rows(request, campaigns, "-starts_on", "pk", unit__code=unit)


@router.get("/surveys/campaigns/{campaign_id}", response=CampaignOut)
def get_campaign(request, campaign_id: Id):
    return visible_or_404(request, Campaign.objects.select_related("unit"), campaign_id)


@router.get("/surveys/campaigns/{campaign_id}/results", response=CampaignResultsOut)
def campaign_results(request, campaign_id: Id):
    campaign = visible_or_404(request, Campaign.objects.select_related("unit"), campaign_id)
    result = services.results(campaign)
    return {
        "campaign": campaign,
        "responses": result.responses,
        "excluded": result.excluded,
        "overall": result.overall,
        "themes": [theme.figure for theme in result.themes],
    }
