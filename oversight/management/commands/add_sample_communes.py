"""Add generated sample communes to a province, so that its oversight board shows a spread."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from org.models import Unit, UnitLevel
from oversight.samples import MARK, add_sample_communes


class Command(BaseCommand):
    help = (
        f"Add N generated communes marked “{MARK}” to a province, with a year of plans, "
        "reports, a self-assessment and findings (deterministic with the seed; safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="the province's code, e.g. 31")
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, province: str, count: int, seed: int, **options):
        translation.activate("vi")
        unit = Unit.objects.filter(code=province, level=UnitLevel.PROVINCE).first()
        if unit is None:
            raise CommandError(f"No province with the code {province}.")
        if not 1 <= count <= 999:
            raise CommandError("--count must be between 1 and 999.")
        added = add_sample_communes(unit, count, seed)
        self.stdout.write(
            f"{unit.name}: {len(added.units)} sample communes added, {added.skipped} already there."
        )
