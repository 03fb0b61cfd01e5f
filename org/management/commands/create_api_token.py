"""Issue an API token for a person; the token is printed once and only its hash is kept."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from org.api import issue_token
from org.models import User


class Command(BaseCommand):
    help = "Create an API token acting as USERNAME."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name", help="what the token is for, e.g. the other system's name")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên “{username}”.")
        self.stdout.write(issue_token(user, name))
