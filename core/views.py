"""Small pieces every app's views share."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from core import versions
from core.files import UploadedFile
from core.pdf import PDF, pdf_available

T = TypeVar("T")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def deny() -> PermissionDenied:
    """The refusal shown when a person may see a thing but not do what they asked."""
    return PermissionDenied(_("You do not have the right to do this."))


def show_errors(request: HttpRequest, exc: ValidationError) -> None:
    """Each message of a refused change, as a message on the next page."""
    for message in exc.messages:
        messages.error(request, message)


def download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A generated file offered for download under `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def stored_file(field_file: FieldFile, filename: str) -> HttpResponseBase:
    """A kept file for download, once the caller has checked that the person may read it:
    streamed from disk or object storage a block at a time, or (object storage with
    CCHC_S3_SIGNED_DOWNLOADS=1) a redirect to a link signed for one minute."""
    storage = field_file.storage
    if not hasattr(storage, "bucket"):  # local disk
        return FileResponse(field_file.open("rb"), as_attachment=True, filename=filename)
    if settings.S3_SIGNED_DOWNLOADS:
        disposition = content_disposition_header(as_attachment=True, filename=filename)
        return HttpResponseRedirect(
            storage.url(field_file.name, parameters={"ResponseContentDisposition": disposition})
        )
    # The object's body as the server sends it; S3File.read would first copy it all locally.
    found = storage.open(field_file.name, "rb").obj.get()
    response = FileResponse(found["Body"], as_attachment=True, filename=filename)
    response["Content-Length"] = found["ContentLength"]
    return response


def pdf_download(
    request: HttpRequest, make_pdf: Callable[[], bytes], filename: str, back: str
) -> HttpResponse:
    """A generated document as PDF; where it cannot be made, back to `back` with the reason.
    Not found where LibreOffice is not installed (the page offers no PDF button there)."""
    if not pdf_available():
        raise Http404
    try:
        content = make_pdf()
    except ValidationError as exc:
        show_errors(request, exc)
        return HttpResponseRedirect(back)
    return download(content, PDF, filename)


def errors_to_form(form, exc: ValidationError) -> None:
    """A service's refusal shown on the form: each message beside its field, or above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def save_posted(request: HttpRequest, form, save: Callable[[], T]) -> T | None:
    """What `save()` (a service call) returns, once the form is posted and valid; None when it
    is not, or when the service refused (its reasons are then on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save()
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None


def as_saved(obj: T | None) -> T | None:
    """`obj` as it stands in the database: a bound model form changes its instance while it
    validates, and a service must compare with what was saved."""
    return type(obj)._default_manager.get(pk=obj.pk) if obj is not None else None


def save_or_show(
    request: HttpRequest,
    form,
    save: Callable[[], Any],
    *,
    saved_message: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A form page whose save goes through a service: once saved, `saved_message` and the saved
    object's page (the URL named `then`); else the form again, its errors next to the fields."""
    saved = save_posted(request, form, save)
    if saved is not None:
        messages.success(request, saved_message)
        return redirect(then, pk=saved.pk)
    return render(request, template, {"form": form, **context})


@dataclasses.dataclass
class VersionedEdit:
    """The outcome of an edit form that carries the fingerprint of what it showed
    (`core.versions`): whether it was saved, and the fingerprint and conflict to show again."""

    done: bool
    saved: Any
    version: str
    conflict: versions.EditConflict | None

    @property
    def status(self) -> int:
        return 409 if self.conflict else 200


def save_versioned(
    request: HttpRequest, form, current: Callable[[], str], save: Callable[[str | None], Any]
) -> VersionedEdit:
    """An edit form's save: once posted and valid, `save(seen)` with the fingerprint it was sent
    with. Refused, the reasons go on the form, which keeps the fingerprint it was sent with (or,
    over someone else's change, that change's); not posted, it shows `current()`."""
    version = (versions.posted(request) if request.method == "POST" else None) or current()
    if request.method != "POST" or not form.is_valid():
        return VersionedEdit(False, None, version, None)
    try:
        saved = save(versions.posted(request))
    except ValidationError as exc:
        errors_to_form(form, exc)
        if isinstance(exc, versions.EditConflict):
            return VersionedEdit(False, None, exc.version, exc)
        return VersionedEdit(False, None, version, None)
    return VersionedEdit(True, saved, version, None)


def announce_import(request: HttpRequest, report) -> None:
    """The outcome of an all-or-nothing spreadsheet import, as a message on the next page."""
    if report.saved:
        messages.success(
            request,
            _("Import done: %(created)d created, %(updated)d updated.")
            % {"created": report.created, "updated": report.updated},
        )
    else:
        messages.error(
            request,
            _("Nothing was saved: %(n)d rows have errors. Correct them and import again.")
            % {"n": len(report.error_rows)},
        )


def uploads(request: HttpRequest, field: str = "files") -> list[UploadedFile]:
    """The files sent in `field`, as the services take them (checked there, not here)."""
    return [UploadedFile(f.name, f) for f in request.FILES.getlist(field)]


def data_from(form, cls):
    """A service's input dataclass, filled from the valid form's fields of the same names."""
    names = [f.name for f in dataclasses.fields(cls) if f.name in form.cleaned_data]
    return cls(**{name: form.cleaned_data[name] for name in names})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon it links."""
    response = HttpResponseRedirect(static("img/favicon.svg"))
    response["Cache-Control"] = "public, max-age=86400"
    return response
