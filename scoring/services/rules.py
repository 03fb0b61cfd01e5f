"""Data rules: what a leaf criterion may score itself from, chosen from this list (never code
written by a user). Each rule names the facts it reads (offered by the domains through
`core.domains.CriterionFacts`), its parameters with their checks, the ways of scoring it fits,
and its computation: the value the criterion's way of scoring turns into points, the figure it
comes from in words, and the records behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.domains import FactItem, FactsQuery
from core.numbers import format_number
from scoring.models import Criterion, Method, Rule
from scoring.services.points import to_decimal

HUNDRED = Decimal(100)
MAX_LINKS = 12  # records linked as evidence; the figure counts them all


@dataclass(frozen=True)
class Param:
    """One parameter of a rule: `kind` is "date", "choice", "text", "int" or "tiers"; `label`
    and `choice_labels` are what the framework's page shows (in the person's language)."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0
    help: str = ""
    label: object = ""
    choice_labels: tuple[object, ...] = ()

    @property
    def options(self) -> list[tuple[str, object]]:
        return list(zip(self.choices, self.choice_labels or self.choices, strict=True))


@dataclass(frozen=True)
class Outcome:
    """What a rule found: `value` in the criterion's terms (1/0, a ratio in %, a count, points;
    None when the records cannot tell yet), the figure in words, the records behind it."""

    value: Decimal | None
    figure: str
    links: list[dict] = field(default_factory=list)
    share: Decimal | None = None  # for a survey criterion: the share its points come from


@dataclass(frozen=True)
class RuleSpec:
    rule: str
    facts: tuple[str, ...]
    params: tuple[Param, ...]
    methods: frozenset[str]
    compute: Callable[[Criterion, dict, dict[str, list[FactItem]], FactsQuery], Outcome]


# --- helpers ----------------------------------------------------------------------------------


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _ratio(ok: int, total: int) -> Decimal:
    return (Decimal(ok) * HUNDRED / Decimal(total)).quantize(Decimal("0.01"), ROUND_DOWN)


def _pct(value: Decimal) -> str:
    return format_number(value.quantize(Decimal("0.1"), ROUND_DOWN))


def _links(items: Sequence[FactItem], first: Sequence[FactItem] = ()) -> list[dict]:
    """The records to link: `first` (those against the unit) before the rest, once each."""
    seen, found = set(), []
    for item in [*first, *items]:
        if item.url and item.url not in seen:
            seen.add(item.url)
            found.append({"title": item.title, "url": item.url, "day": _day(item.day)})
        if len(found) >= MAX_LINKS:
            break
    return found


def _yes_no(criterion: Criterion, yes: bool) -> Decimal:
    """Yes or no in the criterion's terms: 1/0, or the maximum/0 when scored by hand."""
    if criterion.method == Method.MANUAL:
        return criterion.max_points if yes else Decimal(0)
    return Decimal(1 if yes else 0)


def _share_outcome(
    items: Sequence[FactItem], words: str, none: str, links: list[dict] | None = None
) -> Outcome:
    counted = [i for i in items if i.ok is not None]
    if not counted:
        return Outcome(None, none, links or [])
    ok = sum(1 for i in counted if i.ok)
    value = _ratio(ok, len(counted))
    figure = words % {"ok": ok, "total": len(counted), "share": _pct(value)}
    late = [i for i in counted if not i.ok]
    return Outcome(value, figure, links if links is not None else _links(counted, late))


# --- the rules --------------------------------------------------------------------------------

PLAN_KINDS = ("annual", "six_month", "criteria", "inspection", "communication", "other")
PLAN_KIND_LABELS = (
    gettext_lazy("Annual CCHC plan"),
    gettext_lazy("Six-month CCHC plan"),
    gettext_lazy("PAR-index criteria implementation plan"),
    gettext_lazy("Inspection plan"),
    gettext_lazy("Communication plan"),
    gettext_lazy("Other plan"),
)


def _plan_issued(criterion, params, facts, query) -> Outcome:
    by = date.fromisoformat(params["by"])
    plans = [i for i in facts["plans.issued"] if i.group == params["kind"]]
    issued = [i for i in plans if i.ok]
    if not issued:
        return Outcome(
            _yes_no(criterion, False),
            _("No such plan issued yet (due by %(by)s).") % {"by": _day(by)},
            _links(plans),
        )
    first = min(issued, key=lambda i: i.day)
    on_time = first.day <= by
    words = (
        _("%(plan)s, issued on %(day)s (due by %(by)s).")
        if on_time
        else _("%(plan)s, issued on %(day)s, after the due date of %(by)s.")
    )
    return Outcome(
        _yes_no(criterion, on_time),
        words % {"plan": first.title, "day": _day(first.day), "by": _day(by)},
        _links([first]),
    )


def _tasks_on_time(criterion, params, facts, query) -> Outcome:
    tasks = facts["plans.tasks"]
    if params.get("area"):
        tasks = [t for t in tasks if t.group == params["area"]]
    return _share_outcome(
        tasks,
        _("%(ok)s of %(total)s tasks done on time, %(share)s%%"),
        _("No task was due in the period."),
    )


def _reports_on_time(criterion, params, facts, query) -> Outcome:
    reports = facts["reports.sent"]
    if params.get("measure", "share") == "missed":
        missed = [r for r in reports if not r.ok]
        figure = _("%(missed)s of %(total)s reports late or missing") % {
            "missed": len(missed),
            "total": len(reports),
        }
        return Outcome(Decimal(len(missed)), figure, _links(reports, missed))
    return _share_outcome(
        reports,
        _("%(ok)s of %(total)s reports sent on time, %(share)s%%"),
        _("No report was due in the period."),
    )


def _inspection_held(criterion, params, facts, query) -> Outcome:
    what = params["what"]
    rounds = facts["inspections.rounds"]
    checks = facts["inspections.self_checks"]
    held = [r for r in rounds if r.ok]
    sent = [c for c in checks if c.ok]
    yes = True
    if what in ("inspection", "both"):
        yes = yes and bool(held)
    if what in ("self_check", "both"):
        yes = yes and bool(checks) and len(sent) == len(checks)
    figure = _("%(held)s inspections held; %(sent)s of %(checks)s self-checks sent") % {
        "held": len(held),
        "sent": len(sent),
        "checks": len(checks),
    }
    return Outcome(_yes_no(criterion, yes), figure, _links([*held, *checks]))


def _findings_fixed(criterion, params, facts, query) -> Outcome:
    findings = facts["inspections.findings"]
    if not findings:
        return Outcome(
            HUNDRED, _("No finding was due to be fixed in the period: none is left unfixed.")
        )
    return _share_outcome(
        findings, _("%(ok)s of %(total)s findings fixed on time, %(share)s%%"), ""
    )


def _survey_share(criterion, params, facts, query) -> Outcome:
    theme = str(params["theme"])
    items = [i for i in facts["surveys.themes"] if i.group == theme]
    satisfied = sum(i.count for i in items)
    ratings = sum(i.total for i in items)
    if not ratings:
        return Outcome(None, _("No survey answers in the period."), _links(items))
    share = _ratio(satisfied, ratings)
    words = (
        _("%(ok)s of %(total)s ratings satisfied, %(share)s%%")
        if theme == "0"
        else _("%(ok)s of %(total)s ratings of theme %(theme)s satisfied, %(share)s%%")
    )
    figure = words % {"ok": satisfied, "total": ratings, "share": _pct(share), "theme": theme}
    return Outcome(share, figure, _links(items), share=share)


def _initiatives(criterion, params, facts, query) -> Outcome:
    level = params.get("level", "any")
    wanted = int(params.get("at_least", 1))
    items = [i for i in facts["initiatives.decided"] if i.ok]
    if level != "any":
        items = [i for i in items if i.group == level]
    figure = _("%(count)s initiatives recognised (at least %(wanted)s asked for)") % {
        "count": len(items),
        "wanted": wanted,
    }
    return Outcome(_yes_no(criterion, len(items) >= wanted), figure, _links(items))


def _targets_met(criterion, params, facts, query) -> Outcome:
    targets = facts["plans.targets"]
    code = params.get("code", "")
    if code:
        one = [t for t in targets if t.group == code]
        if not one or one[0].ok is None:
            return Outcome(
                None, _("Target %(code)s is not measured yet.") % {"code": code}, _links(one)
            )
        words = _("Target %(code)s met.") if one[0].ok else _("Target %(code)s not met.")
        return Outcome(_yes_no(criterion, bool(one[0].ok)), words % {"code": code}, _links(one))
    return _share_outcome(
        targets,
        _("%(ok)s of %(total)s targets met, %(share)s%%"),
        _("No target of the plan is measured yet."),
    )


YES_NO = frozenset({Method.YES_NO, Method.MANUAL})
RATIO = frozenset({Method.TIERS})

RULES: dict[str, RuleSpec] = {
    Rule.PLAN_ISSUED: RuleSpec(
        Rule.PLAN_ISSUED,
        ("plans.issued",),
        (
            Param(
                "kind",
                "choice",
                True,
                PLAN_KINDS,
                label=gettext_lazy("Kind of plan"),
                choice_labels=PLAN_KIND_LABELS,
            ),
            Param(
                "by", "date", True, help="yyyy-mm-dd", label=gettext_lazy("Issued at the latest on")
            ),
        ),
        YES_NO,
        _plan_issued,
    ),
    Rule.TASKS_ON_TIME: RuleSpec(
        Rule.TASKS_ON_TIME,
        ("plans.tasks",),
        (
            Param(
                "area",
                "text",
                help="a reform area's code; all areas when empty",
                label=gettext_lazy("Reform area's code (empty: every area)"),
            ),
        ),
        RATIO,
        _tasks_on_time,
    ),
    Rule.REPORTS_ON_TIME: RuleSpec(
        Rule.REPORTS_ON_TIME,
        ("reports.sent",),
        (
            Param(
                "measure",
                "choice",
                True,
                ("share", "missed"),
                label=gettext_lazy("What is counted"),
                choice_labels=(
                    gettext_lazy("Share of reports sent on time"),
                    gettext_lazy("Reports sent late or not sent (a deduction each)"),
                ),
            ),
        ),
        frozenset({Method.TIERS, Method.DEDUCTION}),
        _reports_on_time,
    ),
    Rule.INSPECTION_HELD: RuleSpec(
        Rule.INSPECTION_HELD,
        ("inspections.rounds", "inspections.self_checks"),
        (
            Param(
                "what",
                "choice",
                True,
                ("inspection", "self_check", "both"),
                label=gettext_lazy("What must be held"),
                choice_labels=(
                    gettext_lazy("An inspection"),
                    gettext_lazy("A self-check"),
                    gettext_lazy("Both"),
                ),
            ),
        ),
        YES_NO,
        _inspection_held,
    ),
    Rule.FINDINGS_FIXED: RuleSpec(
        Rule.FINDINGS_FIXED, ("inspections.findings",), (), RATIO, _findings_fixed
    ),
    Rule.SURVEY_SHARE: RuleSpec(
        Rule.SURVEY_SHARE,
        ("surveys.themes",),
        (
            Param(
                "theme",
                "int",
                True,
                low=0,
                high=20,
                help="0 overall, 1–5 a SIPAS theme",
                label=gettext_lazy("Theme (0: overall; 1–5: a SIPAS theme)"),
            ),
            Param(
                "tiers",
                "tiers",
                help='[{"min": "90", "points": "7"}, …]',
                label=gettext_lazy("Points by share (e.g. 90%: 7; from 80%: 5)"),
            ),
        ),
        frozenset({Method.SURVEY, Method.TIERS}),
        _survey_share,
    ),
    Rule.INITIATIVES: RuleSpec(
        Rule.INITIATIVES,
        ("initiatives.decided",),
        (
            Param(
                "level",
                "choice",
                True,
                ("any", "commune", "province"),
                label=gettext_lazy("Recognised at"),
                choice_labels=(
                    gettext_lazy("Any level"),
                    gettext_lazy("Commune level"),
                    gettext_lazy("Province level"),
                ),
            ),
            Param(
                "at_least",
                "int",
                low=1,
                high=100,
                label=gettext_lazy("At least (initiatives)"),
            ),
        ),
        YES_NO,
        _initiatives,
    ),
    Rule.TARGETS_MET: RuleSpec(
        Rule.TARGETS_MET,
        ("plans.targets",),
        (
            Param(
                "code",
                "text",
                help="one target's code; the share of all when empty",
                label=gettext_lazy("Target's code (empty: the share of all targets)"),
            ),
        ),
        frozenset({Method.TIERS, Method.YES_NO, Method.MANUAL}),
        _targets_met,
    ),
}


# --- checks -----------------------------------------------------------------------------------


def _rule_name(rule: str) -> str:
    return str(Rule(rule).label)


def _check_tiers(criterion: Criterion, value: object) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Tiers are a list of thresholds with their points."))
    tiers = []
    for tier in value:
        if not isinstance(tier, Mapping) or "min" not in tier or "points" not in tier:
            raise ValidationError(_("Each tier gives its threshold (min) and its points."))
        low, points = to_decimal(tier["min"]), to_decimal(tier["points"])
        if low is None or not 0 <= low <= 100:
            raise ValidationError(
                _("A threshold is a percentage from 0 to 100; got %(value)s.")
                % {"value": tier["min"]}
            )
        if points is None or points < 0 or points > criterion.max_points:
            raise ValidationError(
                _("A tier's points (%(points)s) must be from 0 to the maximum of %(max)s.")
                % {"points": tier["points"], "max": format_number(criterion.max_points)}
            )
        tiers.append({"min": str(low), "points": str(points)})
    return sorted(tiers, key=lambda t: Decimal(t["min"]), reverse=True)


def _check_param(criterion: Criterion, param: Param, value: object) -> object:
    if param.kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise ValidationError(
                _("“%(value)s” is not a date (yyyy-mm-dd).") % {"value": value}
            ) from exc
    if param.kind == "choice":
        if value not in param.choices:
            raise ValidationError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(param.choices)}
            )
        return value
    if param.kind == "int":
        try:
            number = int(str(value))
        except ValueError:
            number = None
        if number is None or not param.low <= number <= param.high:
            raise ValidationError(
                _("“%(param)s” is a whole number from %(low)s to %(high)s; got “%(value)s”.")
                % {"param": param.name, "low": param.low, "high": param.high, "value": value}
            )
        return number
    if param.kind == "tiers":
        return _check_tiers(criterion, value)
    return str(value).strip()[:60]


def check(criterion: Criterion, rule: str, params: Mapping | None) -> dict:
    """The parameters as stored, once the rule fits the criterion; refused with the reason."""
    if rule not in RULES:
        raise ValidationError(_("“%(rule)s” is not a rule the system offers.") % {"rule": rule})
    spec = RULES[rule]
    if not criterion.is_leaf:
        raise ValidationError(
            _("Criterion %(code)s is the sum of its sub-criteria; bind those.")
            % {"code": criterion.code}
        )
    if criterion.method not in spec.methods:
        raise ValidationError(
            _(
                "The rule “%(rule)s” cannot score criterion %(code)s, scored “%(method)s”; "
                "it fits: %(methods)s."
            )
            % {
                "rule": _rule_name(rule),
                "code": criterion.code,
                "method": criterion.get_method_display(),
                "methods": ", ".join(str(Method(m).label) for m in sorted(spec.methods)),
            }
        )
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise ValidationError(_("A rule's parameters are written as name: value pairs."))
    known = {p.name: p for p in spec.params}
    for name in params:
        if name not in known:
            raise ValidationError(
                _("The rule “%(rule)s” has no parameter “%(param)s”.")
                % {"rule": _rule_name(rule), "param": name}
            )
    cleaned: dict = {}
    for param in spec.params:
        value = params.get(param.name)
        if value in (None, "", []):
            if param.required:
                raise ValidationError(
                    _("The rule “%(rule)s” needs its parameter “%(param)s”.")
                    % {"rule": _rule_name(rule), "param": param.label or param.name}
                )
            continue
        cleaned[param.name] = _check_param(criterion, param, value)
    return cleaned


def shift_params(rule: str, params: Mapping, years: int) -> dict:
    """The parameters for the same criterion `years` later: its dates move with the year."""
    shifted = dict(params)
    for param in RULES[rule].params if rule in RULES else ():
        if param.kind == "date" and param.name in shifted:
            day = date.fromisoformat(shifted[param.name])
            try:
                moved = day.replace(year=day.year + years)
            except ValueError:  # 29 February
                moved = day.replace(year=day.year + years, day=28)
            shifted[param.name] = moved.isoformat()
    return shifted


def survey_points(criterion: Criterion, share: Decimal) -> Decimal:
    """A survey criterion's points from its share: by the rule's tiers, else in proportion."""
    tiers = criterion.rule_params.get("tiers") or []
    if tiers:
        for tier in sorted(tiers, key=lambda t: Decimal(t["min"]), reverse=True):
            if share >= Decimal(tier["min"]):
                return Decimal(tier["points"])
        return Decimal(0)
    return criterion.max_points * share / HUNDRED
