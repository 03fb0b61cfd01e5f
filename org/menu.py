"""The main menu: which entries a person sees, in which order, and which are grouped.

Each layout below is the whole menu of one kind of person: top entries and groups, in order, at
most seven at the top. An entry is one line, in the layouts that show it: the URL name it opens,
its label and, when other pages belong to it, those pages' URL names (a name ending in "_" stands
for every name starting with it), e.g.

    Entry("oversight_board", _("Oversight board"), ("oversight_",)),

An entry whose URL name does not resolve (its app is not installed) is left out, and so is a
group left empty. Which layout a person gets is decided from their roles, through `org.access`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from org.access import follows_communes, is_ministry, is_system_admin, units_with_role
from org.models import Role, Unit


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str | Promise
    also: tuple[str, ...] = ()

    def is_current(self, url_name: str | None) -> bool:
        if not url_name:
            return False
        if url_name == self.url_name:
            return True
        return any(
            url_name.startswith(name) if name.endswith("_") else url_name == name
            for name in self.also
        )


@dataclass(frozen=True)
class Group:
    key: str
    label: str | Promise
    entries: tuple[Entry, ...]


HOME = Entry("home", _("Home"))
WORK = Entry("notify_work", _("My work"))
DASHBOARD = Entry("dashboard", _("Dashboard"))
PLANS = Entry(
    "plan_list",
    _("Plan list"),
    ("plan_", "task_", "target_", "milestone_", "import_", "deadline_preview", "evidence_download"),
)
MY_TASKS = Entry("my_tasks", _("My tasks"))
BOARD = Entry("board", _("Follow-up board"))
CALENDAR = Entry("calendar", _("Calendar"))
REPORTS = Entry("report_home", _("Reports"), ("report_",))
SCORING = Entry("scoring_home", _("PAR index"), ("scoring_",))
INSPECTIONS = Entry("inspection_home", _("Inspections"), ("inspection_", "finding_"))
SURVEYS = Entry("survey_home", _("Surveys and initiatives"), ("survey_", "initiative_"))
UNITS = Entry("unit_list", _("Units"), ("unit_", "department_"))
PEOPLE = Entry("person_list", _("People"), ("person_",))
OVERSIGHT = Entry("oversight_board", _("Oversight board"), ("oversight_",))
RANKING = Entry("ministry_ranking", _("Provinces ranked"))
REQUESTS_SENT = Entry("request_list", _("Requests to communes"), ("request_",))
REQUESTS_RECEIVED = Entry("request_list", _("Requests of the province"), ("request_",))

DIRECTORY = Group(
    "directory",
    _("Directory"),
    (
        UNITS,
        PEOPLE,
    ),
)

EVALUATION = Group("evaluation", _("Evaluation"), (SCORING, INSPECTIONS, SURVEYS))

# A commune reports to the province and answers its requests.
COMMUNE_REPORTING = Group("reporting", _("Reports and requests"), (REPORTS, REQUESTS_RECEIVED))

# The commune's focal officer and leadership: its plans first, then how they go.
COMMUNE = (
    HOME,
    WORK,
    Group(
        "plans",
        _("Plans"),
        (
            PLANS,
            MY_TASKS,
            BOARD,
            CALENDAR,
        ),
    ),
    DASHBOARD,
    COMMUNE_REPORTING,
    EVALUATION,
    DIRECTORY,
)

# A department head or officer of a commune: the tasks handed to them first.
DEPARTMENT = (
    HOME,
    WORK,
    MY_TASKS,
    Group(
        "plans",
        _("Plans"),
        (
            PLANS,
            BOARD,
            CALENDAR,
            DASHBOARD,
        ),
    ),
    COMMUNE_REPORTING,
    EVALUATION,
    DIRECTORY,
)

# The province follows its communes: appraising, reading their reports, inspecting them; the
# pages about one commune's work open on the commune chosen in the unit switcher.
PROVINCE = (
    HOME,
    WORK,
    OVERSIGHT,
    REQUESTS_SENT,
    SCORING,
    REPORTS,
    Group(
        "communes",
        _("Communes and wards"),
        (
            PLANS,
            BOARD,
            INSPECTIONS,
            DASHBOARD,
            CALENDAR,
            SURVEYS,
            UNITS,
            PEOPLE,
        ),
    ),
)

# The ministry reads the country: the provinces ranked first, then a province's board (opened
# from the ranking), then the pages of the unit chosen in the switcher. It changes nothing.
MINISTRY = (
    HOME,
    RANKING,
    OVERSIGHT,
    SCORING,
    REPORTS,
    Group(
        "communes",
        _("Communes and wards"),
        (
            PLANS,
            BOARD,
            INSPECTIONS,
            DASHBOARD,
            SURVEYS,
            UNITS,
        ),
    ),
)

# The system administrator keeps the directory and sees everything.
ADMIN = (
    HOME,
    WORK,
    UNITS,
    PEOPLE,
    Group("reporting", _("Reports and requests"), (REPORTS, REQUESTS_SENT)),
    Group(
        "plans",
        _("Plans"),
        (
            DASHBOARD,
            PLANS,
            BOARD,
            CALENDAR,
        ),
    ),
    EVALUATION,
)


def layout_for(user: Any, unit: Unit | None) -> tuple[Entry | Group, ...]:
    """The layout for this person, working on `unit`."""
    if is_system_admin(user):
        return ADMIN
    if is_ministry(user):
        return MINISTRY
    if follows_communes(user, unit):
        return PROVINCE
    leads = units_with_role(user, (Role.FOCAL, Role.LEADER))
    works = units_with_role(user, (Role.DEPARTMENT_HEAD, Role.OFFICER))
    if unit is not None and unit.pk in leads | works:
        return COMMUNE if unit.pk in leads else DEPARTMENT
    return DEPARTMENT if works and not leads else COMMUNE


# Where each layout's work starts: the board of the communes for whoever follows them, the
# provinces ranked for the ministry, the commune's figures for its focal officer and leaders, the
# work handed to them for a department's people, the directory for the administrator.
_STARTS = ((PROVINCE, OVERSIGHT), (MINISTRY, RANKING), (COMMUNE, DASHBOARD), (DEPARTMENT, WORK))


def start_page(user: Any, unit: Unit | None) -> str:
    """The URL name a person lands on after signing in (the unit's home page when their start
    is not open to them)."""
    layout = layout_for(user, unit)
    start = next((entry for kind, entry in _STARTS if kind is layout), HOME)
    return start.url_name if _link(start, None) else HOME.url_name


@dataclass
class Link:
    key: str
    url: str
    label: str
    current: bool
    is_group = False


@dataclass
class MenuGroup:
    key: str
    label: str
    links: list[Link] = field(default_factory=list)
    is_group = True

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


def _link(entry: Entry, url_name: str | None) -> Link | None:
    try:
        url = reverse(entry.url_name)
    except NoReverseMatch:
        return None
    return Link(entry.url_name, url, str(entry.label), entry.is_current(url_name))


def build(layout: Iterable[Entry | Group], url_name: str | None) -> list[Link | MenuGroup]:
    """The menu to show, on the page named `url_name`."""
    items: list[Link | MenuGroup] = []
    for item in layout:
        if isinstance(item, Group):
            links = [link for e in item.entries if (link := _link(e, url_name))]
            if links:
                items.append(MenuGroup(item.key, str(item.label), links))
        elif link := _link(item, url_name):
            items.append(link)
    return items


def main_menu(user: Any, unit: Unit | None, url_name: str | None) -> list[Link | MenuGroup]:
    return build(layout_for(user, unit), url_name)
