"""Build the demo: organisations and accounts from the seeds, then each domain's demo data."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import translation

from core.domains import DemoLoader, plugins
from org import demo as org_demo


class Command(BaseCommand):
    help = "Load the demo units, departments and accounts (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=org_demo.DEMO_PASSWORD)
        parser.add_argument("--quiet", action="store_true")

    def handle(self, *args, password: str, quiet: bool, **options):
        translation.activate("vi")
        accounts = org_demo.load(password)
        # Each domain that has demo data offers demo.load(); they run in INSTALLED_APPS order.
        for loader in plugins(DemoLoader, skip={"org"}):
            loader.load()
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng / demo data ready."))
        self.stdout.write(
            f"Mật khẩu của mọi tài khoản mẫu / password of every demo account: {password}"
        )
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            self.stdout.write(
                f"  {a.username.ljust(width)}  {a.role} – {a.unit or 'toàn hệ thống'}"
            )
