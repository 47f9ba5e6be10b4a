"""The letters' routes: a letter's PDF or DOCX from the dossier's page (`/dossiers/{id}/lettres/{n}.pdf|.docx`, the
journal links to them), and in the JSON API the dossier's letters with their links and the same files under /api.
Whoever sees the dossier's journal reads its letters; a dossier one may not see, another dossier's letter and an
unknown one give the same 404 (usecases.find_visible, letters.letter_of).

(No `from __future__ import annotations`: FastAPI reads the endpoint annotations.)"""

import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from instruct.service import api, letters, usecases
from instruct.service.instruction_storage import Lettre
from instruct.service.messagerie_pages import file_response
from instruct.service.session_pages import logged_in, to_login
from instruct.service.templating import not_found
from instruct.service.workflow import LABELS

LETTER_FILE = re.compile(r"([1-9][0-9]{0,8})\.(pdf|docx)")
KIND_LABELS = {
    "accuse_reception": "accusé de réception",
    "mise_en_instruction": "avis de mise en instruction",
    "demande_complements": "demande de compléments",
    "decision": "décision motivée",
    "decision_immeubles": "décision motivée par immeuble",
    "reprise": "reprise de l'instruction",
    "retrait": "accusé de retrait",
}

router = APIRouter()
_pages = APIRouter(include_in_schema=False)
_api = APIRouter(prefix="/api", tags=["lettres"])


def _file(letter: Lettre, extension: str) -> Response:
    data = letter.pdf if extension == "pdf" else letter.docx
    return file_response(f"{letter.file_name}.{extension}", data)


def as_json(dossier_id: str, letter: Lettre) -> dict:
    base = f"/api/dossiers/{dossier_id}/lettres/{letter.id}"
    return {
        "id": letter.id,
        "type": letter.kind,
        "libelle": KIND_LABELS[letter.kind],
        "le": usecases.iso(letter.created_at),
        "partenaire": letter.event.partenaire,
        "vers": letter.event.to_state,
        "etat": LABELS.get(letter.event.to_state, letter.event.to_state),
        "version": letter.event.version_number,
        "pdf": f"{base}.pdf",
        "docx": f"{base}.docx",
    }


@_pages.get("/dossiers/{dossier_id}/lettres/{name}")
def letter_file(dossier_id: str, name: str, request: Request) -> Response:
    with request.app.state.sessions() as session:
        me = logged_in(request, session)
        if me is None:
            return to_login(request)
        record = usecases.find_visible(session, me, dossier_id)
        wanted = LETTER_FILE.fullmatch(name)
        letter = letters.letter_of(session, record, int(wanted[1])) if record is not None and wanted else None
        if letter is None:
            return not_found(request, me)
        return _file(letter, wanted[2])


@_api.get("/dossiers/{dossier_id}/lettres", summary="Les lettres d'un dossier")
def api_letters(dossier_id: str, session: api.Db, me: api.Me) -> list[dict]:
    """Each state change's letter (accusé de réception, demande de compléments, décision motivée…), oldest first,
    with the links to its PDF and DOCX."""
    record = usecases.visible_or_404(session, me, dossier_id)
    return [as_json(record.id, letter) for letter in letters.letters_of(session, record)]


@_api.get("/dossiers/{dossier_id}/lettres/{name}", summary="Une lettre en PDF ou en DOCX")
def api_letter(dossier_id: str, name: str, session: api.Db, me: api.Me) -> Response:
    record = usecases.visible_or_404(session, me, dossier_id)
    wanted = LETTER_FILE.fullmatch(name)
    letter = letters.letter_of(session, record, int(wanted[1])) if wanted else None
    if letter is None:
        raise HTTPException(404, "lettre introuvable")
    return _file(letter, wanted[2])


router.include_router(_pages)
router.include_router(_api)
