"""The plugin interfaces: what a domain app offers the others without being imported by them.

A lower app never imports a higher one. When `notify` must collect every domain's reminders, or
`reports` every domain's facts of a period, each domain app offers a module of a known name that
satisfies a `Protocol` here, and `plugins(Protocol)` finds them in INSTALLED_APPS order:

| module           | Protocol         | used by                                   |
| ---------------- | ---------------- | ----------------------------------------- |
| `reminders.py`   | `ReminderSource` | `notify` (daily reminder run)             |
| `reporting.py`   | `ReportFacts`    | `reports` (facts of a period in a report) |
| `calendar.py`    | `CalendarSource` | `plans` (the iCalendar feeds)             |
| `demo.py`        | `DemoLoader`     | `org`'s `load_demo` command               |
| `criterion_facts.py` | `CriterionFacts` | `scoring` (criteria that score themselves) |
| `nightly.py`     | `NightlyWork`    | `notify` (queued after the daily reminder run) |
| `work.py`        | `WorkSource`     | `notify` ("My work": the work a person carries, counted) |

Work that changes hands (a part sent, a finding answered) is announced with a `Handoff` value
given to `notify.handoffs.hand_off`; `notify.handoffs.done` clears it when the act is done.

A module of one of these names that lacks the functions its Protocol asks for is refused at once
(`ImproperlyConfigured`), not silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, TypeVar, runtime_checkable

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Reminder:
    """One thing one person must hear of on a day; `key` makes it unique for that person."""

    user_id: int
    kind: str
    key: str
    title: str
    url: str = ""
    due: date | None = None


@dataclass(frozen=True)
class CalendarEvent:
    """A dated thing other than a milestone (a report part due, a self-check due, …)."""

    uid: str
    day: date
    summary: str
    description: str = ""


@dataclass(frozen=True)
class Handoff:
    """Work that passes to people when something changes hands: who must act now, on what, by
    when. `key` names the work: handing the same key again changes nothing for a person who
    already has it open (a retry, a second worker), and the same key clears it once done.

    `remind`: whether the to-do itself is reminded as its due date nears and once late; False
    where the domain's own `reminders.py` already chases that deadline. `escalate_to`: who is told
    when it is late by REMINDER_ESCALATION_DAYS (a head, the leadership)."""

    key: str
    kind: str
    title: str
    people: frozenset[int]
    url: str = ""
    due: date | None = None
    remind: bool = True
    escalate_to: frozenset[int] = frozenset()


@dataclass(frozen=True)
class FactsQuery:
    """What a criterion's rule asks about: one unit, a period, figures as they stood on `on`."""

    unit_id: int
    year: int
    start: date
    end: date
    on: date


@dataclass(frozen=True)
class FactItem:
    """One record behind a figure (a plan, a task, a report, a finding, a campaign's theme):
    `ok` whether it counts in favour (issued, done on time, sent on time, fixed on time),
    `group` what a rule may filter on (a plan kind, an area code, a theme's number), `count`
    and `total` a share's parts where the item is one (satisfied answers of all ratings)."""

    title: str
    url: str = ""
    day: date | None = None
    ok: bool | None = None
    group: str = ""
    count: int = 0
    total: int = 0


def url_maker(name: str) -> Any:
    """A function giving `name`'s URL for an id, reversed once per URL configuration: a fact
    may list hundreds of records and `reverse` costs more than the query that found them."""
    from django.conf import settings
    from django.urls import get_urlconf

    return _url_maker(name, get_urlconf() or settings.ROOT_URLCONF)


@lru_cache(maxsize=64)
def _url_maker(name: str, urlconf: str) -> Any:
    from django.urls import reverse

    prefix, _marker, suffix = reverse(name, urlconf=urlconf, args=[987654321]).partition(
        "987654321"
    )
    return lambda pk: f"{prefix}{pk}{suffix}"


@runtime_checkable
class ReminderSource(Protocol):
    def reminders(self, on: date) -> Iterable[Reminder]: ...


@runtime_checkable
class ReportFacts(Protocol):
    """Lines a domain adds to a period's report: what stood on day `on` (the report's figures'
    day; today when None), nothing that happened after it."""

    def report_lines(
        self, period: Any, department: Any = None, *, on: date | None = None
    ) -> list[str]: ...


@runtime_checkable
class CalendarSource(Protocol):
    def person_events(self, person: Any) -> list[CalendarEvent]: ...

    def department_events(self, department: Any) -> list[CalendarEvent]: ...


@runtime_checkable
class DemoLoader(Protocol):
    def load(self) -> None: ...


@runtime_checkable
class CriterionFacts(Protocol):
    """The records a domain holds that a criterion's rule counts: `names` the facts asked for
    among those it offers in `FACTS`, answered as {name: items} in a few queries."""

    FACTS: frozenset[str]

    def criterion_facts(
        self, query: FactsQuery, names: Iterable[str]
    ) -> dict[str, list[FactItem]]: ...


@runtime_checkable
class NightlyWork(Protocol):
    """Background work a domain wants done once a day: `queue_nightly` only queues tasks (the
    daily run must stay short) and says what it queued, for the run's record."""

    def queue_nightly(self, on: date) -> dict[str, int]: ...


@dataclass(frozen=True)
class StandingWork:
    """Work a person carries that is not handed over item by item (the plan tasks they lead or
    are assigned): how many are open, how many of those are late, and where they are listed."""

    label: str
    count: int
    late: int
    url: str


@runtime_checkable
class WorkSource(Protocol):
    """What a domain counts of a person's standing work in `unit` on day `on`."""

    def standing_work(self, person: Any, unit: Any, on: date) -> list[StandingWork]: ...


MODULE_OF: dict[type, str] = {
    ReminderSource: "reminders",
    ReportFacts: "reporting",
    CalendarSource: "calendar",
    DemoLoader: "demo",
    CriterionFacts: "criterion_facts",
    NightlyWork: "nightly",
    WorkSource: "work",
}

P = TypeVar("P")


def plugins(protocol: type[P], skip: Iterable[str] = ()) -> list[P]:
    """Every installed project app's module that offers `protocol`, in INSTALLED_APPS order."""
    name = MODULE_OF[protocol]
    skip = set(skip)
    found: list[Any] = []
    for config in apps.get_app_configs():
        if config.name in skip or not (Path(config.path) / f"{name}.py").is_file():
            continue
        module: ModuleType = import_module(f"{config.name}.{name}")
        if not isinstance(module, protocol):
            raise ImproperlyConfigured(
                f"{module.__name__} does not offer what {protocol.__name__} asks for."
            )
        found.append(module)
    return found
