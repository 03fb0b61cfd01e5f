"""What a file input accepts, told before upload: `{% allowed_files kinds as allowed %}`."""

from __future__ import annotations

from django import template

from core.files import EVIDENCE_KINDS, AllowedFiles, allowed_files

register = template.Library()


@register.simple_tag(name="allowed_files")
def allowed_files_tag(kinds=None) -> AllowedFiles:
    """The accepted kinds (evidence kinds when none are given) and the size limit."""
    return allowed_files(kinds or EVIDENCE_KINDS)
