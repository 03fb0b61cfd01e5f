"""The actions a permission is asked for; `org.access.can` decides them against a `Scope`."""

from __future__ import annotations

from enum import StrEnum

from core.scoping import Scope

__all__ = ["Action", "Scope"]


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    APPROVE = "approve"
    APPRAISE = "appraise"
    MANAGE = "manage"
    # Record, verify and close findings: the inspection team of a round only.
    INSPECT = "inspect"
    # Answer for one's own department's work (a finding, a self-check): its head or the person
    # in charge, not the focal officer.
    ANSWER = "answer"
    # Issue a province's PAR-index criteria frameworks and run their assessment periods: the
    # province's appraisers (the Department of Home Affairs), on what belongs to the province.
    ISSUE = "issue"
