"""Rows of long tables rendered once and kept, keyed by what they show.

A row is rendered from a plain dict of the values it shows (and the page-wide values named in
`shared`), and kept under exactly those values, the active language and the template's source.
So an entry changes whenever the row's HTML would, and nothing has to be invalidated: a page
whose rows did not change since it was last opened renders no row at all. Each process keeps
its own rows (the most recently used `LIMIT`); the values themselves are the key, compared in
full, so two rows never share an entry by chance.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Mapping

from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

LIMIT = 20_000

_rows: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()


def _frozen(values: Mapping) -> tuple:
    return tuple(values.items())


def render_rows(
    template_name: str, rows: Iterable[Mapping], shared: Mapping | None = None
) -> list[SafeString]:
    """Each row's HTML, kept from an earlier rendering of the same values where there was one.

    The row template sees the row as `r` and the `shared` values by their names. It must read
    nothing else (no request, no model objects, no database), or the key would not cover it;
    the values must be hashable (text, numbers, dates, None)."""
    template = get_template(template_name)
    shared = dict(shared or {})
    page = (template_name, template.template.source, get_language(), _frozen(shared))
    keys = [(page, _frozen(row)) for row in rows]
    with _lock:
        found = {key: _rows.get(key) for key in keys}
        for key, text in found.items():
            if text is not None:
                _rows.move_to_end(key)
    for key, text in found.items():
        if text is None:
            found[key] = template.render({**shared, "r": dict(key[1])})
    with _lock:
        for key, text in found.items():
            _rows[key] = text
        while len(_rows) > LIMIT:
            _rows.popitem(last=False)
    # Rendered by the template engine, which escaped what it had to.
    return [mark_safe(found[key]) for key in keys]


def forget_all() -> None:
    """Drop every kept row (tests that change templates or translations underneath)."""
    with _lock:
        _rows.clear()
