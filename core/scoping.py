"""What an object says about whose it is, given once for every model that belongs to a unit.

`org.access` decides who may do what from a `Scope`; a model takes part by mixing in
`UnitScoped` and naming the path to its unit (`unit_path = "plan.unit_id"`), and, where it
applies, the departments responsible for it and the people assigned to it. The same unit is
written into the audit log (`get_additional_data`), so a unit's history can be listed.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import ClassVar, Protocol


@dataclass(frozen=True)
class Scope:
    """What an object says about whose it is."""

    unit_id: int | None
    department_ids: frozenset[int] = field(default_factory=frozenset)
    assignee_ids: frozenset[int] = field(default_factory=frozenset)
    # People who examine the object for the unit (an inspection round's team).
    team_ids: Container[int] = field(default_factory=frozenset)


class _ReadWhenAsked:
    """Ids read from the database only when a question needs them: a round's team is read for a
    team question, not for every "may this person see it"."""

    def __init__(self, read: Callable[[], Iterable[int | None]]) -> None:
        self._read = read
        self._ids: frozenset[int | None] | None = None

    def __contains__(self, item: object) -> bool:
        if self._ids is None:
            self._ids = frozenset(self._read()) - {None}
        return item in self._ids


class Scoped(Protocol):
    def access_scope(self) -> Scope: ...


class UnitScoped:
    """Mixin for a model that belongs to a unit through `unit_path` (dotted attributes), and
    where it applies to departments and people through `department_paths` / `assignee_paths`
    (or, when it takes more than attributes, `scope_department_ids()` / `scope_assignee_ids()`)."""

    unit_path: ClassVar[str] = "unit_id"
    department_paths: ClassVar[tuple[str, ...]] = ()
    assignee_paths: ClassVar[tuple[str, ...]] = ()

    def scope_unit_id(self) -> int | None:
        return attrgetter(self.unit_path)(self)

    def scope_department_ids(self) -> Iterable[int | None]:
        return tuple(attrgetter(path)(self) for path in self.department_paths)

    def scope_assignee_ids(self) -> Iterable[int | None]:
        return tuple(attrgetter(path)(self) for path in self.assignee_paths)

    def scope_team_ids(self) -> Iterable[int | None]:
        return ()

    def access_scope(self) -> Scope:
        return Scope(
            unit_id=self.scope_unit_id(),
            department_ids=frozenset(self.scope_department_ids()) - {None},
            assignee_ids=frozenset(self.scope_assignee_ids()) - {None},
            team_ids=_ReadWhenAsked(self.scope_team_ids),
        )

    def get_additional_data(self) -> dict:
        return {"unit_id": self.scope_unit_id()}
