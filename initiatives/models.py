"""The initiatives register (sáng kiến): each initiative, its documents, and the yearly goal.

The tables kept the names they had when the register lived in `surveys`."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import StoredFile
from core.scoping import UnitScoped
from org.models import Department, Unit


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent to the reviewing body")
    RECOGNISED_COMMUNE = "recognised_commune", _("Recognised at commune level")
    RECOGNISED_PROVINCE = "recognised_province", _("Recognised at province level")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")


# Statuses that count as "sent" for a yearly goal.
SENT_STATUSES = [
    InitiativeStatus.SENT,
    InitiativeStatus.RECOGNISED_COMMUNE,
    InitiativeStatus.RECOGNISED_PROVINCE,
    InitiativeStatus.NOT_RECOGNISED,
]


class Initiative(UnitScoped, models.Model):
    department_paths = ("department_id",)
    # Its author may keep editing it, as an officer edits the tasks assigned to them.
    assignee_paths = ("created_by_id",)

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(_("initiative title"), max_length=500)
    authors = models.CharField(_("authors"), max_length=500)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
    )
    problem = models.TextField(_("the problem"))
    solution = models.TextField(_("the solution"))
    reform_area = models.CharField(_("reform area"), max_length=300, blank=True)
    applied_on = models.DateField(_("applied since"), null=True, blank=True)
    effect = models.TextField(_("evidence of its effect"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=25,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PROPOSED,
    )
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "surveys_initiative"
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


def initiative_path(instance: InitiativeDocument, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"initiatives/{instance.initiative.unit_id}/{uuid.uuid4().hex}{suffix}"


class InitiativeDocument(StoredFile):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=initiative_path)

    class Meta:
        db_table = "surveys_initiativedocument"
        verbose_name = _("initiative document")
        verbose_name_plural = _("initiative documents")
        ordering = ["-uploaded_at"]

    # Only the audit trail's unit: a document has no history page of its own.
    def get_additional_data(self) -> dict:
        return {"unit_id": self.initiative.unit_id}


class InitiativeGoal(UnitScoped, models.Model):
    """A yearly goal such as "at least one initiative sent before 20/11", tied to a plan target."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="initiative_goals")
    year = models.PositiveSmallIntegerField(_("year"))
    minimum = models.PositiveSmallIntegerField(_("at least"), default=1)
    due = models.DateField(_("sent before"))
    target = models.ForeignKey(
        "plans.Target",
        verbose_name=_("plan target"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiative_goals",
    )

    class Meta:
        db_table = "surveys_initiativegoal"
        verbose_name = _("initiative goal")
        verbose_name_plural = _("initiative goals")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="initiative_goal_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: ≥ {self.minimum}"
