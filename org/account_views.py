"""A person's own account safeguards: two-factor sign-in (set up, the code asked after the
password, recovery codes, turning it off) and an administrator's reset of someone's device.
The rules are in `org.two_factor`; who may reset whom is asked of `org.access`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import download
from org import two_factor
from org.access import Action
from org.forms import ConfirmPasswordForm, OneTimeCodeForm
from org.models import User
from org.shortcuts import visible_or_404


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("start")


def _code_form(request, label: str) -> OneTimeCodeForm:
    form = OneTimeCodeForm(request.POST or None)
    form.fields["code"].label = label
    return form


def _security_page(request, remove_form: ConfirmPasswordForm, status: int = 200):
    """The account's safeguards page, with the form that turns two-factor sign-in off."""
    user = request.user
    return render(
        request,
        "org/security.html",
        {
            "is_on": two_factor.is_on(user),
            "required": two_factor.required(user),
            "codes_left": two_factor.recovery_codes_left(user),
            "remove_form": remove_form,
        },
        status=status,
    )


@login_required
def security(request):
    return _security_page(request, ConfirmPasswordForm())


@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    pending = two_factor.recheck(request)
    if pending == two_factor.ENROL:
        return redirect(reverse("two_factor_enrol") + "?" + request.GET.urlencode())
    if pending == two_factor.FREE:
        return redirect(_next(request))
    form = _code_form(request, _("Code from the app, or a recovery code"))
    if request.method == "POST" and form.is_valid():
        try:
            accepted = two_factor.verify(request, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            if accepted:
                return redirect(_next(request))
            form.add_error("code", _("This code is not right, or was already used."))
    return render(
        request,
        "org/two_factor_verify.html",
        {"form": form, "next": _next(request), "two_factor_pending": True},
    )


@login_required
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code."""
    user = request.user
    pending = two_factor.recheck(request)
    if pending == two_factor.VERIFY:
        return redirect(reverse("two_factor_verify") + "?" + request.GET.urlencode())
    if two_factor.is_on(user):
        messages.info(request, _("Two-factor sign-in is already on."))
        return redirect("account_security")
    form = _code_form(request, _("The 6-digit code the app shows"))
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.confirm_enrolment(request, form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc.messages)
        else:
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(reverse("two_factor_codes") + "?" + request.GET.urlencode())
    return render(
        request,
        "org/two_factor_enrol.html",
        {
            "form": form,
            "enrolment": two_factor.start_enrolment(user),
            "required": pending == two_factor.ENROL,
            "next": _next(request),
            "two_factor_pending": pending == two_factor.ENROL,
        },
    )


@login_required
def recovery_codes(request):
    """The recovery codes just made, shown in this session only; "I have kept them" puts them
    away for good."""
    codes = two_factor.fresh_codes(request)
    if request.method == "POST":
        two_factor.put_codes_away(request)
        return redirect(_next(request) if request.POST.get("next") else "account_security")
    if not codes:
        return redirect("account_security")
    return render(
        request,
        "org/two_factor_codes.html",
        {
            "codes": [two_factor.format_code(c) for c in codes],
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def recovery_codes_txt(request):
    codes = two_factor.fresh_codes(request)
    if not codes:
        raise Http404
    lines = [
        _("CCHC recovery codes of %(username)s") % {"username": request.user.get_username()},
        _("Each code works once, in place of the code from the app."),
        "",
        *(two_factor.format_code(c) for c in codes),
        "",
    ]
    return download(
        "\r\n".join(lines).encode("utf-8"),
        "text/plain; charset=utf-8",
        f"cchc-recovery-codes-{request.user.get_username()}.txt",
    )


@login_required
@require_POST
def new_recovery_codes(request):
    try:
        two_factor.regenerate_recovery_codes(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("account_security")
    messages.success(request, _("New recovery codes made; the old ones no longer work."))
    return redirect("two_factor_codes")


@login_required
@require_POST
def remove(request):
    form = ConfirmPasswordForm(request.POST)
    if form.is_valid():
        try:
            two_factor.remove(request, form.cleaned_data["password"])
        except ValidationError as exc:
            form.add_error("password", exc.messages)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("account_security")
    return _security_page(request, form, status=400)


@login_required
@require_POST
def reset_person(request, pk: int):
    """An administrator (whoever may manage the person) removes their authenticator."""
    person = visible_or_404(request, User, pk, Action.MANAGE)
    try:
        had = two_factor.reset(person, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if had:
            messages.success(
                request,
                _("Two-factor sign-in of %(name)s was reset; they set it up again at sign-in.")
                % {"name": person},
            )
        else:
            messages.info(request, _("%(name)s had no two-factor sign-in.") % {"name": person})
    return redirect("person_detail", pk=person.pk)
