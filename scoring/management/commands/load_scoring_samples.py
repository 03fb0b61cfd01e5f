"""Add three sample wards (đơn vị mẫu) to province 38 with PAR-index self-scores."""

from django.core.management.base import BaseCommand

from scoring.demo import load_sample_communes


class Command(BaseCommand):
    help = "Add three marked sample wards to Thanh Hoá (38) so the PAR-index ranking ranks several."

    def handle(self, *args, **options):
        for unit in load_sample_communes():
            self.stdout.write(f"{unit.code}\t{unit.full_name}")
