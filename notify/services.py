"""The daily reminder run: collect what each person must hear of, one digest per person per day,
shown in the app and sent by e-mail; a failed e-mail is retried, never sent twice."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import clock, crash
from core.domains import Reminder, ReminderSource, plugins
from notify.handoffs import HANDOFF_PREFIX
from notify.models import DailyRun, Digest, Notification, ReminderKind, ReminderSettings
from org.models import User

log = logging.getLogger(__name__)


def collect(on: date, sources: Iterable[ReminderSource] | None = None) -> Iterator[Reminder]:
    """Every domain's reminders of the day (each domain that has dates offers `reminders.py`)."""
    for source in plugins(ReminderSource) if sources is None else sources:
        yield from source.reminders(on)


def _disabled_kinds(user_ids: Iterable[int]) -> dict[int, set[str]]:
    return {
        user_id: set(kinds)
        for user_id, kinds in ReminderSettings.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "disabled_kinds"
        )
    }


@dataclass
class RunResult:
    people: int = 0
    reminders: int = 0
    emails_sent: int = 0
    emails_failed: int = 0


Sender = Callable[[Digest, list[Notification]], None]


def run_daily(on: date, *, send: Sender | None = None) -> RunResult:
    """Build today's digests and send them; a second run the same day adds and sends nothing.
    A digest holds the day's reminders and the work handed to the person since the last one
    (already shown in the bell when it was handed)."""
    send = send or send_digest
    DailyRun.objects.get_or_create(day=on)
    by_user: dict[int, dict[str, Reminder]] = defaultdict(dict)
    for reminder in collect(on):
        by_user[reminder.user_id].setdefault(reminder.key, reminder)
    handed = _handed_since_last_digest()
    disabled = _disabled_kinds(set(by_user) | set(handed))
    result = RunResult()
    for user_id in sorted(set(by_user) | set(handed)):
        off = disabled.get(user_id, set())
        wanted = [r for r in by_user.get(user_id, {}).values() if r.kind not in off]
        notices = [n for n in handed.get(user_id, []) if n.kind not in off]
        if not wanted and not notices:
            continue
        digest = _digest_with_notifications(user_id, on, wanted, notices)
        if digest is None:
            continue  # already built (and sent, or waiting for a retry) by an earlier run
        crash.point("reminders.built")
        result.people += 1
        result.reminders += len(wanted) + len(notices)
        sent = _deliver(digest, send)
        if sent:
            result.emails_sent += 1
        elif sent is False:
            result.emails_failed += 1
    # A run killed between building a digest and sending it: the digest is sent now, once.
    for digest in Digest.objects.filter(day=on, sent_at__isnull=True, attempts=0):
        sent = _deliver(digest, send)
        if sent:
            result.emails_sent += 1
        elif sent is False:
            result.emails_failed += 1
    DailyRun.objects.filter(day=on).update(
        finished_at=timezone.now(), people=result.people, reminders=result.reminders
    )
    return result


def _handed_since_last_digest() -> dict[int, list[Notification]]:
    """Unread hand-off notices not yet in a digest, one per piece of work, by person."""
    found: dict[int, dict[str, Notification]] = defaultdict(dict)
    pending = Notification.objects.filter(
        digest__isnull=True, read_at__isnull=True, key__startswith=HANDOFF_PREFIX
    ).order_by("created_at")
    for notice in pending:
        found[notice.user_id][notice.key] = notice  # the latest of a key
    return {user_id: list(by_key.values()) for user_id, by_key in found.items()}


def _digest_with_notifications(
    user_id: int, on: date, reminders: list[Reminder], handed: list[Notification] = ()
) -> Digest | None:
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user_id=user_id, day=on)
            Notification.objects.bulk_create(
                Notification(
                    user_id=user_id,
                    digest=digest,
                    kind=r.kind,
                    key=r.key[:100],
                    title=r.title[:300],
                    url=r.url[:300],
                    due=r.due,
                )
                for r in sorted(
                    reminders, key=lambda r: (r.kind != ReminderKind.OVERDUE, r.due or on)
                )
            )
            Notification.objects.filter(pk__in=[n.pk for n in handed], digest__isnull=True).update(
                digest=digest
            )
    except IntegrityError:
        return None
    return digest


# A digest claimed longer ago than this is taken to belong to a worker that stopped mid-send.
CLAIM_LEASE = timedelta(minutes=10)
# Written when a digest is claimed and cleared once its e-mail is sent or has failed: a digest
# still marked so was being sent when the process was killed, and may have reached the person.
# It is not sent again.
INTERRUPTED = "interrupted while sending; not sent again, so that it never arrives twice"


def _claim(digest: Digest) -> bool:
    """Mark the digest as being sent by this worker, the attempt recorded (committed) before the
    e-mail; false when it is sent, was interrupted mid-send, or another worker holds it. One
    conditional UPDATE, so exactly one of two racing workers wins."""
    now = timezone.now()
    return bool(
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True)
        .exclude(last_error=INTERRUPTED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
        .update(claimed_at=now, attempts=F("attempts") + 1, last_error=INTERRUPTED)
    )


def _deliver(digest: Digest, send: Sender) -> bool | None:
    """Send the digest at most once: true when sent, false when it failed (kept for a retry),
    None when another worker has it, it was sent already, or a killed run may have sent it."""
    if not _claim(digest):
        return None
    notifications = list(digest.notifications.all())
    try:
        send(digest, notifications)
    except Exception as exc:  # SMTP down, refused, timed out: keep it for a retry
        Digest.objects.filter(pk=digest.pk).update(last_error=str(exc)[:1000], claimed_at=None)
        log.warning("Reminder e-mail to user %s not sent: %s", digest.user_id, exc)
        return False
    crash.point("reminders.sent")
    Digest.objects.filter(pk=digest.pk).update(
        sent_at=timezone.now(), last_error="", claimed_at=None
    )
    return True


def digest_text(digest: Digest, notifications: list[Notification]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[CCHC] Reminders of %(day)s: %(n)d items") % {
            "day": digest.day.strftime("%d/%m/%Y"),
            "n": len(notifications),
        }
        lines = [_("Hello,"), "", _("Work that needs your attention:"), ""]
        for kind, label in ReminderKind.choices:
            items = [n for n in notifications if n.kind == kind]
            if not items:
                continue
            lines.append(f"{label}:")
            for n in items:
                due = f" ({n.due:%d/%m/%Y})" if n.due else ""
                lines.append(f"- {n.title}{due}")
                if n.url:
                    lines.append(f"  {settings.SITE_URL.rstrip('/')}{n.url}")
            lines.append("")
        lines.append(_("You can turn kinds of reminders off on the Reminders page."))
    return subject, "\n".join(lines)


def send_digest(digest: Digest, notifications: list[Notification]) -> None:
    user = User.objects.get(pk=digest.user_id)
    if not user.email:
        return  # shown in the app only
    subject, body = digest_text(digest, notifications)
    EmailMessage(subject, body, to=[user.email]).send(fail_silently=False)


def retry_pending(
    *, on: date | None = None, within_days: int = 3, max_attempts: int = 20
) -> RunResult:
    """Send again the digests whose e-mail failed (the server was down); old ones lapse."""
    result = RunResult()
    since = (on or timezone.localdate()) - timedelta(days=within_days)
    pending = Digest.objects.filter(
        sent_at__isnull=True, day__gte=since, attempts__lt=max_attempts
    ).exclude(last_error=INTERRUPTED)
    for digest in pending:
        sent = _deliver(digest, send_digest)
        if sent:
            result.emails_sent += 1
        elif sent is False:
            result.emails_failed += 1
    return result


def next_run_at(now: datetime) -> datetime:
    """The next daily run: today at the reminder hour if still ahead, else tomorrow."""
    local = timezone.localtime(now)
    run = local.replace(hour=settings.REMINDER_HOUR, minute=0, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


@transaction.atomic
def choose_kinds(user: User, wanted: set[str]) -> ReminderSettings:
    """Keep the kinds of reminders a person wants; every other kind is turned off."""
    current, _created = ReminderSettings.objects.select_for_update().get_or_create(user=user)
    current.disabled_kinds = [k for k in ReminderKind.values if k not in wanted]
    current.save(update_fields=["disabled_kinds"])
    return current


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
