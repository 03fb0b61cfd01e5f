from __future__ import annotations

from notify.models import Notification, ToDo


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "open_work_count": ToDo.objects.filter(user=user, done_at__isnull=True).count(),
    }
