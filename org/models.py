"""Administrative units, their departments, the people who work in them and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import UnitScoped
from core.text import normalize_name, search_key


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")
    DISTRICT = "district", _("District")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    TOWN = "town", _("Town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")


class UnitLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province level")
    DISTRICT = 2, _("District level")
    COMMUNE = 3, _("Commune level")


LEVEL_OF_KIND = {
    UnitKind.PROVINCE: UnitLevel.PROVINCE,
    UnitKind.CITY: UnitLevel.PROVINCE,
    UnitKind.DISTRICT: UnitLevel.DISTRICT,
    UnitKind.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.TOWN: UnitLevel.DISTRICT,
    UnitKind.PROVINCIAL_CITY: UnitLevel.DISTRICT,
    UnitKind.COMMUNE: UnitLevel.COMMUNE,
    UnitKind.WARD: UnitLevel.COMMUNE,
    UnitKind.TOWNSHIP: UnitLevel.COMMUNE,
    UnitKind.SPECIAL_ZONE: UnitLevel.COMMUNE,
}


class Unit(UnitScoped, models.Model):
    """An administrative unit: province, (before 7/2025) district, commune or ward."""

    unit_path = "pk"

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=UnitLevel.choices, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The province the unit belongs to (itself for a province), kept so that scoping a
    # province's communes is one indexed filter whatever the depth of the tree.
    province = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    is_active = models.BooleanField(_("active"), default=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["level", "name"]
        indexes = [models.Index(fields=["province", "level"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """As documents write it: "Phường Thành Đông", "Thành phố Hải Phòng"."""
        if self.kind in (UnitKind.CITY, UnitKind.PROVINCIAL_CITY):
            city = _("City")  # outside the f-string, where makemessages can find it
            return f"{city} {self.name}"
        return f"{self.get_kind_display()} {self.name}"

    @property
    def is_commune_level(self) -> bool:
        return self.level == UnitLevel.COMMUNE

    def clean(self) -> None:
        level = LEVEL_OF_KIND.get(self.kind)
        if level is None:
            return
        if level == UnitLevel.PROVINCE and self.parent_id:
            raise ValidationError({"parent": _("A province-level unit has no parent unit.")})
        if level != UnitLevel.PROVINCE:
            if not self.parent_id:
                raise ValidationError({"parent": _("Choose the unit this one belongs to.")})
            if self.parent.level >= level:
                raise ValidationError(
                    {"parent": _("The parent unit must be of a higher level than this one.")}
                )
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("A unit cannot belong to itself.")})
                ancestor = ancestor.parent

    def save(self, *args, **kwargs) -> None:
        self.level = LEVEL_OF_KIND[UnitKind(self.kind)]
        root = self
        while root.parent_id is not None:
            root = root.parent
        self.province_id = root.pk
        self.search_text = search_key(self.name, self.code, self.get_kind_display())
        super().save(*args, **kwargs)
        if self.province_id is None:
            # A new province points at itself, which needs its own id first.
            Unit.objects.filter(pk=self.pk).update(province=self.pk)
            self.province_id = self.pk
        for child in self.children.exclude(province_id=self.province_id):
            child.save()  # a district moved to another province takes its communes along


class DepartmentKind(models.TextChoices):
    OFFICE = "office", _("Office")
    DIVISION = "division", _("Division")
    BOARD = "board", _("Board")
    CENTRE = "centre", _("Centre")
    SECTION = "section", _("Section")
    OTHER = "other", _("Other")


class Department(UnitScoped, models.Model):
    """A department of a unit: phòng, ban, trung tâm, bộ phận or the office (văn phòng)."""

    department_paths = ("pk",)

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DepartmentKind.choices, default=DepartmentKind.DIVISION
    )
    aliases = models.JSONField(_("other names"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    name_key = models.CharField(max_length=200, editable=False)
    search_text = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["unit", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name_key"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:
        self.name_key = normalize_name(self.name)
        self.aliases = [a.strip() for a in self.aliases if a and a.strip()]
        self.search_text = search_key(self.name, self.short_name, *self.aliases)
        super().save(*args, **kwargs)


class User(UnitScoped, AbstractUser):
    """A person with an account. Roles come from RoleGrant rows, not from this record."""

    department_paths = ("department_id",)
    assignee_paths = ("pk",)

    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    search_text = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.department_id and self.unit_id and self.department.unit_id != self.unit_id:
            raise ValidationError(
                {"department": _("The department must belong to the person's unit.")}
            )

    def save(self, *args, **kwargs) -> None:
        if self.department_id and not self.unit_id:
            self.unit_id = self.department.unit_id
        self.search_text = search_key(self.full_name, self.username, self.email, self.position)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", _("System administrator")
    APPRAISER = "appraiser", _("Province appraiser")
    LEADER = "leader", _("Commune leadership")
    FOCAL = "focal", _("CCHC focal officer")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    OFFICER = "officer", _("Officer")
    # The Ministry of Home Affairs: reads every province and commune, changes nothing.
    MINISTRY = "ministry", _("Ministry of Home Affairs")


class RoleGrant(UnitScoped, models.Model):
    """One role a person holds in one unit (and, for a department head, one department)."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit", "department"], name="role_grant_unique"
            )
        ]

    def __str__(self) -> str:
        where = self.department or self.unit or _("whole system")
        return f"{self.get_role_display()} – {where}"

    def clean(self) -> None:
        if self.role == Role.MINISTRY and self.unit_id:
            raise ValidationError(
                {"unit": _("The ministry's role covers the whole country: leave the unit empty.")}
            )
        if self.role not in (Role.ADMIN, Role.MINISTRY) and not self.unit_id:
            raise ValidationError({"unit": _("Choose the unit this role applies to.")})
        if self.role == Role.APPRAISER and self.unit_id and self.unit.level != UnitLevel.PROVINCE:
            raise ValidationError({"unit": _("An appraiser works for a province-level unit.")})
        if self.role == Role.DEPARTMENT_HEAD and not self.department_id:
            raise ValidationError({"department": _("Choose the department this person heads.")})
        if self.department_id and self.department.unit_id != self.unit_id:
            raise ValidationError({"department": _("The department must belong to the unit.")})


class ApiToken(models.Model):
    """A token another system uses to call the API on behalf of a person. Only a hash is kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
