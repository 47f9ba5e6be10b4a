"""Jinja2 for the self-contained pages (the HTML report; the batch's dashboard reuses it).

Autoescape is on; values are escaped as `html.escape` does (quotes as &#x27; and &quot;), the
spelling these pages always had, so a report rendered again is the same bytes. The CSS and JS
beside the templates are inlined at render time (`{{ inline("rapport.css") }}`): a page mailed
or opened offline needs nothing else. Jinja2 is imported on first render, not by `acv check`."""

from __future__ import annotations

import functools
import html
from pathlib import Path
from typing import Any


def _escaped(value: Any):
    from markupsafe import Markup

    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


@functools.cache
def environment(folder: Path):
    from jinja2 import Environment, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    def inline(name: str) -> Markup:
        """A CSS or JS file of the folder, as it is: it is ours, not a dossier's value."""
        return Markup((folder / name).read_text(encoding="utf-8"))

    env = Environment(
        loader=FileSystemLoader(folder),
        autoescape=True,
        finalize=_escaped,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["inline"] = inline
    return env


def render_page(folder: Path, name: str, **context: Any) -> str:
    return environment(folder).get_template(name).render(**context)
