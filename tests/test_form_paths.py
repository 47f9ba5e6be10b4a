"""The paths a finding's evidence cites -> what a town reads, the step that holds the field and
the id of the field on that step's page; checked on the evidence of real reports."""

from __future__ import annotations

import re

import pytest
from conftest import EVALUATION_DATE, SAMPLES

from instruct.documents.load import load
from instruct.engine.check import check_dossier
from instruct.form import anchor_of, build, key_of, label_of, step_of, to_raw

MACHINE = re.compile(r"[a-z]_[a-z]|\[|\]|--|\.csv")


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("fiches_actions[4].cout", "Fiche action n° 5 — coût"),
        ("fiches_actions.4.cout", "Fiche action n° 5 — coût"),
        ("fiches_actions[*].axe", "Fiches actions — axe"),
        (
            "convention.avenants[0].date_signature, convention.avenants[0].deliberations",
            "Avenant n° 1 — date de signature, délibérations approuvant l'avenant",
        ),
        ("convention.cadre.date_signature", "Convention-cadre — date de signature"),
        (
            "convention.cadre.date_signature (phase déduite : avant ou après le 1er janvier 2023)",
            "Convention-cadre — date de signature (phase déduite : avant ou après le 1er janvier 2023)",
        ),
        (
            "fiches_actions[2].cout ; avenant-1.pdf, page 2, tableau 1, ligne 3",
            "Fiche action n° 3 — coût (avenant-1.pdf, page 2, tableau 1, ligne 3)",
        ),
        (
            "dispositifs_anah[0].demandes[objet=chef_de_projet].montant",
            "Dispositif Anah n° 1 — demande à l'Anah « chef de projet » — montant demandé",
        ),
        ("pieces (type note_projet_urbain)", "Pièces (note de projet urbain)"),
        ("pieces/avenant-1.pdf", "Pièce avenant-1.pdf"),
        ("immeubles[0]", "Immeuble n° 1"),
        ("immeubles[1].travaux.parties_communes", "Immeuble n° 2 — travaux — travaux sur les parties communes"),
        ("option --referentiel (ort-communes.csv)", ""),
        ("gouvernance.partenaires_locaux", "Gouvernance — partenaires locaux"),
        ("suivi.cloture", "Suivi — convention close"),
        (
            "convention.cadre.signataires[0] ; convention-cadre.docx, paragraphe 33",
            "Convention-cadre — signataire n° 1 (convention-cadre.docx, paragraphe 33)",
        ),
        ("convention.avenants[0].signataires[1]", "Avenant n° 1 — signataire n° 2"),
        ("convention.avenants, convention.avenants", "Convention — avenants"),
        (
            "immeubles[0].demande_action_logement, immeubles[0].logements[*].surface_habitable_m2",
            "Immeuble n° 1 — demande à Action Logement, logements programmés — surface habitable (m²)",
        ),
        (
            "fiches_actions[0].cout, fiches_actions[0].financement[*].montant",
            "Fiche action n° 1 — coût, plan de financement — montant",
        ),
        ("axes.diagnostic", "Axes — diagnostic"),
        (  # a path named in a remark is read too
            "ort.signataires (à défaut convention.cadre.signataires)",
            "Opération de revitalisation de territoire (ORT) — signataires de l'ORT "
            "(à défaut convention-cadre — signataires)",
        ),
    ],
)
def test_labels(path, label):
    assert label_of(path) == label


def test_steps_and_anchors():
    assert step_of("fiches_actions[4].cout") == "fiches"
    assert step_of("convention.avenants[0].date_signature, fiches_actions[1].date_signature") == "convention"
    assert step_of("preparation.contacts_cles") == "gouvernance"
    assert step_of("ort.secteurs[0].geometrie") == "dispositifs"
    assert step_of("pieces/avenant-1.pdf") == "pieces"
    assert step_of("calcul") is None and step_of("option --referentiel") is None
    assert anchor_of("fiches_actions[4].cout") == "champ-fiches_actions-4-cout"
    assert anchor_of("fiches_actions[*].cout") == "champ-fiches_actions"
    assert anchor_of("perimetres.etude.coordinates") == "champ-perimetres-etude"
    assert key_of("dispositifs_anah[0].demandes[objet=etudes]") == "dispositifs_anah.0.demandes"
    assert anchor_of("calcul") is None
    assert step_of("fiches_actions.__nombre") == "fiches" and step_of("quartiers.__aucun") == "dispositifs"


def _ids(nodes) -> set[str]:
    found = set()
    for node in nodes:
        found.add(node.id)
        if node.node == "groupe":
            found |= _ids(node.children + node.items)
    return found


@pytest.mark.parametrize("sample", ["villebelle", "belcastel", "saint-aubin"])
def test_the_evidence_of_a_report_reads_in_french_and_links_to_its_field(sample, catalogue):
    loaded = load(SAMPLES / sample)  # with its pieces: the evidence says where a value was read
    report = check_dossier(loaded.dossier, catalogue, EVALUATION_DATE, engine="python", documents=loaded.documents)
    raw = to_raw(loaded.dossier)
    paths = {e["path"] for f in report.findings for e in f.evidence if e.get("path")}
    paths |= {f.entity.path for f in report.findings if f.entity.path}
    assert len(paths) > 20
    pages = {}
    for path in sorted(paths):
        label = label_of(path)
        step = step_of(path)
        if step is None:  # a computation, a file of the referentiel: nothing of the form
            continue
        assert label and not MACHINE.search(label.split(" (")[0]), (path, label)
        if step not in pages:
            pages[step] = _ids(build(step, raw, {}))
        assert anchor_of(path) in pages[step], (path, anchor_of(path))
