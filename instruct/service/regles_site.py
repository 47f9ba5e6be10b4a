"""A page per rule as a static site (`acv docs -o DIR`): index.html and one HTML page per rule that
open from the file system (relative links), with the DSFR's stylesheet and fonts copied beside them
from the vendored DSFR. The pages render the same fragments as the service's /regles pages
(templates/regles/_index.html, _regle.html); this module needs no database nor session."""

from __future__ import annotations

import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from instruct.rules.documentation import PageBuilder
from instruct.vocabulary import STATUT_LIBELLES

HERE = Path(__file__).parent
DSFR = HERE / "static" / "vendor" / "dsfr"
STYLE = HERE / "static" / "regles.css"


def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def file_name(rule_id: str) -> str:
    return f"{rule_id}.html"


def write_site(builder: PageBuilder, folder: Path) -> int:
    """Writes the site into `folder` (created if need be); returns the number of rule pages."""
    folder.mkdir(parents=True, exist_ok=True)
    template = environment().get_template("regles/statique.html")
    common = {"STATUS_NAMES": STATUT_LIBELLES, "href": file_name, "index_href": "index.html"}
    index = template.render(title="Les règles", page=None, groups=builder.index(), **common)
    (folder / "index.html").write_text(index, encoding="utf-8")
    pages = builder.pages()
    for page in pages:
        html = template.render(title=f"{page.id} {page.title}", page=page, **common)
        (folder / file_name(page.id)).write_text(html, encoding="utf-8")
    (folder / "dsfr").mkdir(exist_ok=True)
    shutil.copy2(DSFR / "dsfr.min.css", folder / "dsfr" / "dsfr.min.css")
    shutil.copytree(DSFR / "fonts", folder / "dsfr" / "fonts", dirs_exist_ok=True)
    shutil.copy2(STYLE, folder / "regles.css")
    return len(pages)
