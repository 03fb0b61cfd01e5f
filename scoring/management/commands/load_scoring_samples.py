"""Add the three sample wards (đơn vị mẫu) of province 38, each at its stage of the six-month
PAR-index period; `load_demo` loads them too."""

from django.core.management.base import BaseCommand

from scoring.demo import load_sample_communes


class Command(BaseCommand):
    help = (
        "Add the three marked sample wards of Thanh Hoá (38) at their stages of the PAR-index "
        "six-month period (part of load_demo; safe to run again)."
    )

    def handle(self, *args, **options):
        for unit in load_sample_communes():
            self.stdout.write(f"{unit.code}\t{unit.full_name}")
