"""Binding a framework's leaf criteria to data rules: set, changed or removed with the framework
(its editing pages), copied with it to a new year (`frameworks.copy_framework`)."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import Criterion, Framework
from scoring.services import rules


def _refuse_other_framework(framework: Framework, criterion: Criterion) -> None:
    if criterion.criteria_set.framework_id != framework.pk:
        raise ValidationError(
            _("Criterion %(code)s belongs to another framework.") % {"code": criterion.code}
        )


@transaction.atomic
def bind(
    framework: Framework, criterion: Criterion, rule: str, params: Mapping | None = None
) -> Criterion:
    """The criterion scores itself from the data by `rule` with `params` (checked first)."""
    criterion = (
        Criterion.objects.select_for_update().select_related("criteria_set").get(pk=criterion.pk)
    )
    _refuse_other_framework(framework, criterion)
    criterion.rule_params = rules.check(criterion, rule, params)
    criterion.rule = rule
    criterion.save(update_fields=["rule", "rule_params"])
    return criterion


@transaction.atomic
def unbind(framework: Framework, criterion: Criterion) -> Criterion:
    criterion = (
        Criterion.objects.select_for_update().select_related("criteria_set").get(pk=criterion.pk)
    )
    _refuse_other_framework(framework, criterion)
    criterion.rule, criterion.rule_params = "", {}
    criterion.save(update_fields=["rule", "rule_params"])
    return criterion


@transaction.atomic
def bind_codes(framework: Framework, bindings: Mapping[str, tuple[str, Mapping]]) -> int:
    """Bind criteria by code across the framework's sets ({code: (rule, params)}); codes a set
    lacks are passed over. Returns how many were bound."""
    bound = 0
    for criterion in Criterion.objects.filter(
        criteria_set__framework=framework, code__in=list(bindings)
    ).select_related("criteria_set"):
        rule, params = bindings[criterion.code]
        bind(framework, criterion, rule, params)
        bound += 1
    return bound


def copy_bindings(source: Framework, target: Framework) -> None:
    """The rules of `source`'s criteria on the same criteria of `target` (by set group and
    code), their dates moved by the years between them."""
    years = target.year - source.year
    found = {
        (c.criteria_set.group, c.code): c
        for c in Criterion.objects.filter(criteria_set__framework=target).select_related(
            "criteria_set"
        )
    }
    changed = []
    for criterion in Criterion.objects.filter(criteria_set__framework=source).exclude(rule=""):
        copy = found.get((criterion.criteria_set.group, criterion.code))
        if copy is None:
            continue
        copy.rule = criterion.rule
        copy.rule_params = rules.shift_params(criterion.rule, criterion.rule_params, years)
        changed.append(copy)
    Criterion.objects.bulk_update(changed, ["rule", "rule_params"])
