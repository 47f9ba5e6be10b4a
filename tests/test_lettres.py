"""The letters of the instruction, over real HTTP on PostgreSQL (SQLite too: make test-bases): every state change
(deposit, mise en instruction, à compléter, redeposit, refusal, reprise, Action Logement's decisions per immeuble,
withdrawal) produces its letter; the PDF (read back with pdftotext) and the DOCX (python-docx) name the decision, its
reasons, the rule ids with their titles, the partner, the version; the dossier page's journal links to them; who may
not see the dossier gets the same 404 for its letters as for the dossier."""

import io
import subprocess
import time

from docx import Document
from test_instructions import deposited, move, people, service  # noqa: F401 (their fixtures, same accounts)
from test_web import web_client

from instruct.service import letter_text
from instruct.service.letters_pages import LETTER_FILE


def plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def pdf_text(data: bytes, tmp_path) -> str:
    assert data[:5] == b"%PDF-"
    path = tmp_path / "lettre.pdf"
    path.write_bytes(data)
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return plain(done.stdout)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return plain("\n".join([p.text for p in document.paragraphs] + cells))


def letters(c, ident):
    r = c.get(f"/api/dossiers/{ident}/lettres")
    assert r.status_code == 200, r.text
    return r.json()


def both(c, letter, tmp_path) -> tuple[str, str]:
    pdf, docx = c.get(letter["pdf"]), c.get(letter["docx"])
    assert pdf.status_code == docx.status_code == 200
    assert "attachment" in pdf.headers["content-disposition"] and pdf.headers["content-type"] == "application/pdf"
    return pdf_text(pdf.content, tmp_path), docx_text(docx.content)


def test_each_state_change_produces_its_letter(service, people, tmp_path):  # noqa: F811
    ident = deposited(people)
    town, ddt = people["belcastel"], people["ddt99"]
    found = letters(town, ident)
    assert [x["type"] for x in found] == ["accuse_reception"]
    pdf, docx = both(town, found[0], tmp_path)
    for text in (pdf, docx):
        assert "Accusé de réception du dépôt" in text and ident in text and "version 1" in text
        assert "Action Logement" in text and "DDT" in text  # the partners who instruct it
    refused = move(ddt, ident, vers="accepte", motif="")  # not from « déposé »: no change, no letter
    assert refused.status_code == 409 and len(letters(town, ident)) == 1
    assert move(ddt, ident, vers="en_instruction").status_code == 200
    r = move(ddt, ident, vers="a_completer", motif="Convention-cadre signée manquante", regles=["PROG-02"])
    assert r.status_code == 200, r.text
    r = move(town, ident, vers="depose", confirme=True)  # the redeposit
    assert r.status_code == 200, r.text
    r = move(ddt, ident, vers="refuse", motif="Signature de l'Anah absente", regles=["PROG-02", "PROG-26"])
    assert r.status_code == 200, r.text
    assert move(ddt, ident, vers="en_instruction", motif="Pièce signée reçue").status_code == 200
    found = letters(town, ident)
    kinds = [x["type"] for x in found]
    assert kinds == [
        "accuse_reception",
        "mise_en_instruction",
        "demande_complements",
        "accuse_reception",
        "decision",
        "reprise",
    ]
    pdf, docx = both(town, found[2], tmp_path)
    for text in (pdf, docx):
        assert "Demande de compléments" in text and "Convention-cadre signée manquante" in text and "PROG-02" in text
    pdf, docx = both(town, found[3], tmp_path)
    assert "Accusé de réception du nouveau dépôt" in pdf and "complété" in docx
    refusal = found[4]
    assert refusal["partenaire"] == "ddt" and refusal["etat"] == "refusé" and refusal["version"] == 1
    pdf, docx = both(town, refusal, tmp_path)
    for text in (pdf, docx):
        assert "Décision motivée : refus" in text and "Signature de l'Anah absente" in text
        assert "PROG-02" in text and "PROG-26" in text and "Signataires de la convention" in text  # id and title
        assert "Guide du programme" in text  # the rule's source
        assert "Pour la DDT" in text and "version 1" in text and "« refusé »" in text
    pdf, _ = both(town, found[5], tmp_path)
    assert "Reprise de l'instruction" in pdf and "Pièce signée reçue" in pdf


def test_action_logement_decisions_per_immeuble_and_a_withdrawal(service, people, tmp_path):  # noqa: F811
    ident = deposited(people)
    al, town = people["al99"], people["belcastel"]
    assert move(al, ident, vers="en_instruction").status_code == 200
    url = f"/api/dossiers/{ident}/instructions/action-logement/immeubles"
    asked = [
        {"immeuble": "IMM-01", "decision": "accepte", "motif": "", "regles": []},
        {"immeuble": "IMM-03", "decision": "refuse", "motif": "Prix de revient incohérent", "regles": ["AL-O-09"]},
    ]
    assert al.post(url, json={"decisions": asked}).status_code == 200
    later = [{"immeuble": "IMM-02", "decision": "ajourne", "motif": "Attente du permis", "regles": []}]
    assert al.post(url, json={"decisions": later}).status_code == 200
    found = letters(town, ident)
    assert [x["type"] for x in found] == [
        "accuse_reception",
        "mise_en_instruction",
        "decision_immeubles",
        "decision_immeubles",
    ]
    pdf, docx = both(town, found[2], tmp_path)
    for text in (pdf, docx):
        assert "immeuble par immeuble" in text and "Prix de revient incohérent" in text and "AL-O-09" in text
        assert "accepté" in text and "refusé" in text and "Pour Action Logement" in text
        assert "Attente du permis" not in text  # the next call's decision is the next letter's
    pdf, _ = both(town, found[3], tmp_path)
    assert "ajourné" in pdf and "Attente du permis" in pdf and "Prix de revient" not in pdf
    other = deposited(people)
    assert move(town, other, vers="retire").status_code == 200
    withdrawn = letters(town, other)
    assert [x["type"] for x in withdrawn] == ["accuse_reception", "retrait"]
    pdf, _ = both(town, withdrawn[1], tmp_path)
    assert "Accusé de retrait du dossier" in pdf and "définitif" in pdf


def test_the_page_links_to_the_letters_and_hides_them_alike(service, people):  # noqa: F811
    _, base = service
    ident = deposited(people)
    assert move(people["ddt99"], ident, vers="a_completer", motif="Budget à revoir").status_code == 200
    town = web_client(base, "belcastel")
    page = town.get(f"/dossiers/{ident}").text
    ids = [int(x["id"]) for x in letters(people["belcastel"], ident)]
    for n in ids:
        assert f'href="/dossiers/{ident}/lettres/{n}.pdf">Télécharger la lettre (PDF)' in page
        assert f'href="/dossiers/{ident}/lettres/{n}.docx">Télécharger la lettre (DOCX)' in page
    r = town.get(f"/dossiers/{ident}/lettres/{ids[-1]}.pdf")
    assert (
        r.status_code == 200
        and r.content[:5] == b"%PDF-"
        and "lettre-demande-complements" in r.headers["content-disposition"]
    )
    r = town.get(f"/dossiers/{ident}/lettres/{ids[-1]}.docx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert town.get(f"/dossiers/{ident}/lettres/{ids[-1]}.odt").status_code == 404
    assert f"/dossiers/{ident}/versions/1/rapport.pdf" in page and "télécharger en PDF" in page  # the A4 report
    assert town.get(f"/dossiers/{ident}/versions/1/rapport.pdf").content[:5] == b"%PDF-"
    assert town.get(f"/dossiers/{ident}/lettres/999999.pdf").status_code == 404
    for stranger in ("villebelle", "ddt01"):  # another town; an instructeur of another territory
        outsider = web_client(base, stranger)
        hidden_page = outsider.get(f"/dossiers/{ident}")
        nowhere = outsider.get("/dossiers/inexistant/lettres/1.pdf")
        letter = outsider.get(f"/dossiers/{ident}/lettres/{ids[0]}.pdf")
        assert hidden_page.status_code == nowhere.status_code == letter.status_code == 404
        assert letter.text == nowhere.text
        api = people[stranger]
        listed, absent = api.get(f"/api/dossiers/{ident}/lettres"), api.get("/api/dossiers/inexistant/lettres")
        assert listed.status_code == absent.status_code == 404 and listed.json() == absent.json()
        assert api.get(f"/api/dossiers/{ident}/lettres/{ids[0]}.pdf").status_code == 404
    other = deposited(people)  # a letter of another dossier, asked through this one
    theirs = letters(people["belcastel"], other)[0]["id"]
    assert town.get(f"/dossiers/{ident}/lettres/{theirs}.pdf").status_code == 404


def test_a_letter_renders_in_well_under_a_second():
    import datetime as dt

    from instruct.reports import a4_docx, a4_pdf

    facts = letter_text.LetterFacts(
        kind="decision",
        partner_key="ddt",
        partner="DDT",
        dossier_id="abc",
        commune="Belcastel",
        insee="99104",
        version=2,
        day=dt.date(2026, 12, 2),
        time="14:05",
        by="Instructrice DDT",
        from_label="en instruction",
        to_label="refusé",
        to_state="refuse",
        dossier_state="en instruction",
        reason="Motif : signature absente ; pièce illisible ?",
        rules=[letter_text.RuleCited("PROG-02", "Signataires de la convention", "Guide du programme")],
    )
    a4_pdf.render(letter_text.build(facts))  # the fonts, once
    started = time.perf_counter()
    for _ in range(5):
        document = letter_text.build(facts)
        a4_docx.render(document), a4_pdf.render(document)
    per_letter = (time.perf_counter() - started) / 5
    print(f"une lettre (DOCX et PDF) : {per_letter * 1000:.0f} ms")
    assert per_letter < 5.0  # a guard against a pathology, not a benchmark (≈ 80 ms quiet): the machine is shared
    assert LETTER_FILE.fullmatch("12.pdf") and not LETTER_FILE.fullmatch("012.pdf")
