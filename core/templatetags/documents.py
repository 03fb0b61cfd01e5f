"""Whether a PDF button shows: `{% pdf_available as pdf %}{% if pdf %}…{% endif %}`."""

from __future__ import annotations

from django import template

from core.pdf import pdf_available

register = template.Library()


@register.simple_tag(name="pdf_available")
def pdf_available_tag() -> bool:
    return pdf_available()
