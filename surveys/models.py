"""Satisfaction surveys: questionnaires, campaigns, answers."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import UnitScoped
from org.models import Department, Unit


def new_token() -> str:
    # Unguessable: a campaign's link is public, its kiosk link must not be guessed from it.
    return secrets.token_urlsafe(12)


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating 1–5")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yes_no", _("Yes / no")
    TEXT = "text", _("Free text")


class ProcedureField(models.TextChoices):
    LAND = "land", _("Land")
    CONSTRUCTION = "construction", _("Construction")
    CIVIL_STATUS = "civil_status", _("Civil status")
    CERTIFICATION = "certification", _("Certification of copies and signatures")
    BUSINESS = "business", _("Household business registration")
    SOCIAL = "social", _("Labour, meritorious people and social affairs")
    OTHER = "other", _("Other field")


class Questionnaire(UnitScoped, models.Model):
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="questionnaires"
    )
    title = models.CharField(_("questionnaire title"), max_length=300)
    intro = models.TextField(_("introduction"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["unit", "title"]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A theme of the questionnaire (the SIPAS themes in the default one)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("heading"), max_length=300)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict:
        return {"unit_id": self.questionnaire.unit_id}


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    required = models.BooleanField(_("required"), default=True)
    # Options of single and multiple choice questions, in order; answers store the index.
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "section_id", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"

    def get_additional_data(self) -> dict:
        return {"unit_id": self.section.questionnaire.unit_id}


class Campaign(UnitScoped, models.Model):
    department_paths = ("department_id",)

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="survey_campaigns"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department running it"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_campaigns",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="campaigns",
    )
    title = models.CharField(_("campaign name"), max_length=300)
    procedure_field = models.CharField(
        _("procedure field"),
        max_length=20,
        choices=ProcedureField.choices,
        blank=True,
        help_text=_("Leave empty to let respondents say which field their file was in."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    closed = models.BooleanField(_("closed early"), default=False)
    target = models.ForeignKey(
        "plans.Target",
        verbose_name=_("plan target fed by the results"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_campaigns",
    )
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    kiosk_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey campaign")
        verbose_name_plural = _("survey campaigns")
        ordering = ["-starts_on", "title"]

    def __str__(self) -> str:
        return self.title

    def is_open(self, on) -> bool:
        return not self.closed and self.starts_on <= on <= self.ends_on

    @property
    def period_label(self) -> str:
        return f"{self.starts_on:%d/%m/%Y} – {self.ends_on:%d/%m/%Y}"


class ResponseSource(models.TextChoices):
    WEB = "web", _("Public link")
    KIOSK = "kiosk", _("Kiosk at the counter")
    PAPER = "paper", _("Paper form")


class Response(models.Model):
    """One filled questionnaire. No address, device or person is stored unless given."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("date"))
    procedure_field = models.CharField(
        _("procedure field"), max_length=20, choices=ProcedureField.choices, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=ResponseSource.choices)
    contact = models.CharField(_("contact given by the respondent"), max_length=200, blank=True)
    # Sums over the rating answers, kept so that results by period and field read one row each.
    rating_count = models.PositiveSmallIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied_count = models.PositiveSmallIntegerField(default=0)
    excluded = models.BooleanField(_("excluded"), default=False)
    exclusion_reason = models.CharField(_("reason for exclusion"), max_length=300, blank=True)
    excluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    excluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-submitted_at"]
        # Covering the results' grouped sums, so they read the index alone.
        indexes = [
            models.Index(
                fields=[
                    "campaign",
                    "excluded",
                    "submitted_on",
                    "procedure_field",
                    "rating_count",
                    "rating_sum",
                    "satisfied_count",
                ],
                name="survey_response_sums",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.submitted_on:%d/%m/%Y}"

    def get_additional_data(self) -> dict:
        return {"unit_id": self.campaign.unit_id}


class Answer(models.Model):
    """One answer to one question; a multiple-choice question gives one row per option chosen."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    # Repeated from the response so that results filter and group one table, without a join.
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    excluded = models.BooleanField(default=False)
    submitted_on = models.DateField()
    procedure_field = models.CharField(max_length=20, blank=True)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    choice = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    tag = models.CharField(_("tag"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [
            models.Index(
                fields=[
                    "campaign",
                    "excluded",
                    "procedure_field",
                    "submitted_on",
                    "question",
                    "rating",
                    "choice",
                ],
                name="survey_answer_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.choice or self.text[:40]}"


class Tally(models.Model):
    """How many counted answers a campaign has per question and value (the rating, or the
    option's index; 0 for free text). Kept by the services as answers come, are excluded or
    included again, so that the unfiltered results read a few dozen rows whatever the count."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "question", "value"], name="survey_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}={self.value}: {self.n}"
