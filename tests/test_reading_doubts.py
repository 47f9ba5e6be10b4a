"""What the reader is not sure of never fills the dossier: it is shown à vérifier (rule X-07) with
its quote. Real pieces are made here (villebelle's convention and avenant rendered from its
dossier, DOCX and PDF written with python-docx and pypdf); where the extractors do not give a
confidence yet, the real reading is lowered by hand, as a doubtful reader would give it."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest
from builders import make_docx, make_pdf
from conftest import EVALUATION_DATE, SAMPLES, acv_command

from instruct.cli.main import ingest_text
from instruct.documents import extract, piece_cache
from instruct.documents.evidence import SURE
from instruct.documents.load import load
from instruct.documents.read import read_piece_isolated
from instruct.engine.check import check_dossier
from instruct.samples.render_pieces import avenant_pdf, convention_docx

DOUBT = 0.6  # below SURE


def acv(*args):
    return subprocess.run(acv_command() + list(args), capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def villebelle():
    return load(SAMPLES / "villebelle").dossier


@pytest.fixture
def folder(tmp_path, villebelle):
    """villebelle's convention-cadre (DOCX) and avenant (PDF), without dossier.yaml."""
    convention_docx(villebelle, tmp_path / "convention-cadre.docx")
    avenant_pdf(villebelle, tmp_path / "avenant-1.pdf")
    return tmp_path


def lowered(monkeypatch, module, change, file="convention-cadre.docx"):
    """The real reading of `file`, changed as a reader unsure of some values would give it (read again:
    not a reading kept by an earlier check)."""
    monkeypatch.setattr(piece_cache, "keep", False)
    real = module.read

    def read(piece, kind=None, ville=None):
        reading = real(piece, kind, ville)
        if reading.file == file:
            change(reading)
        return reading

    monkeypatch.setattr(module, "read", read)


def doubtful(quote):
    return dataclasses.replace(quote, confidence=DOUBT)


def doubt_the_intercommunalite(reading):
    reading.signatures = [
        dataclasses.replace(p, quote=doubtful(p.quote)) if p.role == "intercommunalite" else p
        for p in reading.signatures
    ]


def report_of(path, catalogue):
    loaded = load(path)
    return loaded, check_dossier(loaded.dossier, catalogue, EVALUATION_DATE, documents=loaded.documents)


def findings(report, rule, status=None):
    return [f for f in report.findings if f.rule == rule and (status is None or f.status == status)]


def quotes(finding):
    return [q for e in finding.evidence for q in e.get("pieces", [])]


# --- only sure values fill the dossier ----------------------------------------------------------


def test_a_sure_signatory_fills_as_before(folder, catalogue, villebelle):
    loaded, report = report_of(folder, catalogue)
    signataires = loaded.dossier.convention.cadre.signataires
    assert [s.role for s in signataires] == [s.role for s in villebelle.convention.cadre.signataires]
    assert not [f for f in findings(report, "X-07") if "convention-cadre.docx" in f.message]


def test_a_doubtful_signatory_is_not_filled_and_is_shown_with_its_quote(folder, catalogue, monkeypatch):
    lowered(monkeypatch, extract, doubt_the_intercommunalite)
    loaded, report = report_of(folder, catalogue)
    assert loaded.dossier.convention.cadre.signataires is None  # a list without it would say it did not sign
    prog02 = {f.entity.id: f.status for f in findings(report, "PROG-02")}
    assert prog02["intercommunalite"] == "incomplet"
    [doubt] = findings(report, "X-07")
    assert doubt.status == "a_verifier"
    assert doubt.message.startswith("convention-cadre.docx, paragraphe ")
    assert "— signataire lu avec doute : « Communauté d'agglomération du Val de Belle" in doubt.message
    assert doubt.message.endswith("(rôle supposé : intercommunalité) ; l'instructeur le vérifie dans la pièce.")
    [quote] = {tuple(q.items()) for q in quotes(doubt)}
    quote = dict(quote)
    assert quote["fichier"] == "convention-cadre.docx" and quote["lecture"] == "lu avec doute"
    assert quote["confiance"] == DOUBT and "Val de Belle" in quote["texte"] and quote["texte"] in doubt.message


def test_a_doubtful_date_is_not_filled(folder, catalogue, monkeypatch):
    def change(reading):
        day, quote = reading.date_signature
        reading.date_signature = (day, doubtful(quote))

    lowered(monkeypatch, extract, change)
    loaded, report = report_of(folder, catalogue)
    assert loaded.dossier.convention.cadre.date_signature is None
    [doubt] = findings(report, "X-07")
    assert "date de signature lue avec doute : « 28/09/2018 »" in doubt.message


def test_a_doubtful_row_of_actions_or_budget_line_fills_no_fiche_nor_budget(folder, catalogue, villebelle, monkeypatch):
    sure = load(folder).dossier
    assert len(sure.fiches_actions) == len(villebelle.fiches_actions) and sure.convention.avenants[0].budget

    def change(reading):
        reading.actions[0] = dataclasses.replace(reading.actions[0], quote=doubtful(reading.actions[0].quote))
        total, quote = reading.budget["total"]
        reading.budget["total"] = (total, doubtful(quote))

    lowered(monkeypatch, extract, change, file="avenant-1.pdf")
    loaded, report = report_of(folder, catalogue)
    assert loaded.dossier.fiches_actions == []  # a table without that row would miscount the plan
    assert loaded.dossier.convention.avenants[0].budget is None
    messages = [f.message for f in findings(report, "X-07", "a_verifier")]
    assert any("avenant-1.pdf, page " in m and "ligne du tableau des actions lue avec doute" in m for m in messages)
    assert any("budget (montant total) lu avec doute : « 1" in m and "430" in m for m in messages)


def test_a_doubtful_part_and_parts_that_may_be_unseen_stay_unknown(tmp_path, villebelle, monkeypatch):
    convention_docx(villebelle, tmp_path / "convention-cadre.docx", omit_parts={"traitement_litiges"})
    sure = load(tmp_path).dossier.convention.cadre.contenu
    assert sure.traitement_litiges is False and sure.suivi_evaluation is True

    def change(reading):
        reading.trame["suivi_evaluation"] = doubtful(reading.trame["suivi_evaluation"])
        reading.trame_sure = False  # the reader cannot tell a part not found is absent

    lowered(monkeypatch, extract, change)
    unsure = load(tmp_path).dossier.convention.cadre.contenu
    assert unsure.suivi_evaluation is None and unsure.traitement_litiges is None
    assert unsure.parties is True  # what was surely read stays


def test_a_piece_whose_kind_is_doubtful_fills_nothing(folder, catalogue, monkeypatch):
    lowered(monkeypatch, extract, lambda reading: setattr(reading, "kind_confidence", DOUBT))
    loaded, report = report_of(folder, catalogue)
    assert loaded.dossier.convention.cadre is None
    [doubt] = findings(report, "X-07")
    assert "nature de la pièce lue avec doute : « une convention-cadre »" in doubt.message


def test_a_doubtful_deliberation_or_name_is_not_filled_and_is_shown_with_its_quote(folder, catalogue, monkeypatch):
    """The party is sure, its délibération and its representative's name are not: the party stays,
    the date and the name do not fill the dossier, each is a doubt with the text it was read from."""

    def change(reading):
        commune = next(p for p in reading.parties if p.role == "ville_centre")
        commune.deliberation_quote = doubtful(commune.deliberation_quote)
        commune.nom_confidence = DOUBT
        reading.signatures = None  # the parties speak for the signatories

    lowered(monkeypatch, extract, change)
    loaded, report = report_of(folder, catalogue)
    cadre = loaded.dossier.convention.cadre
    assert [d.organe for d in cadre.deliberations] == ["intercommunalite"]
    commune = next(s for s in cadre.signataires if s.role == "ville_centre")
    assert commune.nom is None
    messages = [f.message for f in findings(report, "X-07") if "convention-cadre.docx" in f.message]
    [date] = [m for m in messages if "date de délibération lue avec doute" in m]
    assert "« 05/07/2018 »" in date and "délibération du 5 juillet 2018" in date and "Commune de Villebelle" in date
    [name] = [m for m in messages if "représentant d'une partie lu avec doute" in m]
    assert "« Claire Martin »" in name and "représentée par Claire Martin" in name


def test_a_doubtful_avenant_number_is_shown_with_its_quote(folder, catalogue, monkeypatch):
    def change(reading):
        reading.numero_confidence = DOUBT

    lowered(monkeypatch, extract, change, file="avenant-1.pdf")
    loaded, report = report_of(folder, catalogue)
    [doubt] = [f for f in findings(report, "X-07") if "avenant-1.pdf" in f.message]
    assert "numéro de l'avenant lu avec doute : « n° 1 »" in doubt.message and "Avenant n° 1 à la" in doubt.message


def test_the_rule_and_the_reader_share_the_threshold(catalogue):
    [rule] = [r for rs in catalogue.rulesets.values() for r in rs.rules if r.id == "X-07"]
    assert rule.review.op == "lt" and rule.review.value == round(SURE * 10000)  # hundredths of %


# --- what a convention or an avenant should show and does not -----------------------------------


def test_a_convention_naming_no_town_gets_a_report_with_what_was_not_found(tmp_path):
    make_docx(
        tmp_path / "convention-cadre.docx",
        ["Convention-cadre pluriannuelle Action Cœur de Ville", "Article 1 – Objet de la convention"],
    )
    result = acv("check", str(tmp_path), "--date", "2020-06-01")
    assert result.returncode == 1 and not result.stderr, result.stderr
    assert "ville-centre non identifiée dans les pièces" in result.stdout
    for missing in ("aucun bloc des parties (« ENTRE … », « ET … ») trouvé", "aucun bloc de signature"):
        assert f"convention-cadre.docx : {missing}" in result.stdout


def test_a_convention_naming_only_the_ville_keeps_the_intercommunalite_unknown(tmp_path, catalogue, sample_referentiel):
    make_docx(
        tmp_path / "convention-cadre.docx",
        [
            "Convention-cadre pluriannuelle Action Cœur de Ville",
            "ENTRE",
            "La Commune de Villebelle, représentée par son maire, M. Jean Dupont,",
            "ET",
            "L'État, représenté par le préfet du département, M. Paul Durand,",
            "Fait à Villebelle, le 28 septembre 2018, en 6 exemplaires originaux.",
            "Pour la Commune de Villebelle",
            "Pour l'État",
        ],
    )
    loaded, report = report_of(tmp_path, catalogue)
    coll = loaded.dossier.collectivites
    assert coll.ville_centre.nom == "Villebelle" and coll.intercommunalite is None
    assert report.commune == "Villebelle"
    assert any(note.startswith("L'intercommunalité : non identifiée — ") for note in report.notes)
    with_list = check_dossier(
        loaded.dossier, catalogue, EVALUATION_DATE, documents=loaded.documents, referentiel=sample_referentiel
    )
    x04 = [f for f in findings(with_list, "X-04") if f.check == "epci"]
    assert [f.status for f in x04] == ["incomplet"]  # the EPCI's SIREN is not guessed


# --- unreadable pieces: one French line each, never a traceback ----------------------------------


def unreadable_pieces(folder):
    """A scanned PDF, a truncated PDF, an encrypted PDF and a file named .pdf that is not one,
    with the words each must be described by."""
    make_pdf(folder / "scan.pdf", ["", ""])
    whole = make_pdf(folder / "entier.pdf", ["Convention-cadre pluriannuelle Action Cœur de Ville"]).read_bytes()
    (folder / "entier.pdf").unlink()
    (folder / "tronque.pdf").write_bytes(whole[: len(whole) // 2])
    make_pdf(folder / "chiffre.pdf", ["Convention-cadre pluriannuelle Action Cœur de Ville"], encrypt="secret")
    (folder / "faux.pdf").write_text("Ceci n'est pas un PDF.", encoding="utf-8")
    return {
        "scan.pdf": "document scanné",
        "tronque.pdf": "PDF endommagé",
        "chiffre.pdf": "PDF chiffré",
        "faux.pdf": "n'est pas un PDF",
    }


def test_a_folder_of_only_unreadable_pieces_exits_2_with_one_line_each(tmp_path):
    """Nothing at all can be judged: one French line per piece naming its problem."""
    expected = unreadable_pieces(tmp_path)
    result = acv("check", str(tmp_path), "--date", "2020-06-01")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    for file, problem in expected.items():
        said = [line for line in lines if line.startswith(f"  - {file} : ")]
        assert len(said) == 1 and problem in said[0], (file, said)


def test_unreadable_pieces_beside_a_readable_one_are_findings_one_each(tmp_path, villebelle):
    """One readable piece: the dossier is checked, each unreadable piece is an X-06 finding."""
    expected = unreadable_pieces(tmp_path)
    convention_docx(villebelle, tmp_path / "convention-cadre.docx")
    result = acv("check", str(tmp_path), "--date", "2020-06-01")
    assert result.returncode == 1 and not result.stderr, result.stderr
    lines = result.stdout.splitlines()
    for file, problem in expected.items():
        said = [line for line in lines if f": {file} (" in line and problem in line]
        assert len(said) == 1, (file, [line for line in lines if file in line])


def test_a_folder_with_nothing_to_read_exits_2_in_french(tmp_path):
    result = acv("check", str(tmp_path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "ni dossier.yaml (ou dossier.json) ni pièce PDF ou DOCX dans ce dossier" in result.stderr


# --- acv ingest shows how sure each value is -------------------------------------------------------


def test_ingest_marks_the_doubtful_values(folder, monkeypatch):
    lowered(monkeypatch, extract, doubt_the_intercommunalite)
    result = extract.summary(read_piece_isolated(folder / "convention-cadre.docx"))
    [epci] = [p for p in result["signatures"] if p["role"] == "intercommunalite"]
    assert epci["confiance"] == DOUBT and epci["lecture"] == "lu avec doute"
    assert {p["confiance"] for p in result["signatures"] if p["role"] != "intercommunalite"} == {1.0}
    assert all("lecture" not in p for p in result["signatures"] if p["role"] != "intercommunalite")
    text = ingest_text(result)
    read = [line for line in text.splitlines() if "intercommunalité :" in line and "Val de Belle" in line]
    assert len(read) == 2  # a party (sure), a signatory (doubtful)
    assert [line.endswith("— lu avec doute (confiance 60 %), à vérifier") for line in read] == [False, True]
    assert "À vérifier dans la pièce (jamais tenu pour sûr) :" in text


def test_ingest_marks_a_doubtful_kind(folder, monkeypatch):
    lowered(monkeypatch, extract, lambda reading: setattr(reading, "kind_confidence", DOUBT))
    text = ingest_text(extract.summary(read_piece_isolated(folder / "convention-cadre.docx")))
    assert "Type reconnu : convention-cadre — lu avec doute (confiance 60 %), à vérifier" in text
    assert "nature de la pièce lue avec doute : « une convention-cadre »" in text


def test_a_deliberation_not_found_in_the_pieces_is_unknown_not_absent(tmp_path, catalogue):
    """The parties block names the commune's délibération only: the intercommunalité's may be a
    piece not sent, so PROG-03 asks for it (incomplet) rather than calling it absent."""
    make_docx(
        tmp_path / "convention-cadre.docx",
        [
            "Convention-cadre pluriannuelle Action Cœur de Ville",
            "ENTRE",
            "La Commune de Villebelle, représentée par son maire, M. Jean DUPONT, dûment habilité par "
            "délibération du conseil municipal du 25 septembre 2018,",
            "ET",
            "La Communauté d'agglomération du Val de Belle, représentée par son président, M. Paul MARTIN,",
            "IL A ÉTÉ CONVENU CE QUI SUIT :",
        ],
    )
    loaded, report = report_of(tmp_path, catalogue)
    assert loaded.dossier.convention.cadre.deliberations[0].organe == "commune"
    prog03 = {f.entity.id: f.status for f in findings(report, "PROG-03")}
    assert prog03["deliberation_commune"] == "conforme"
    assert prog03["deliberation_intercommunalite"] == "incomplet"
