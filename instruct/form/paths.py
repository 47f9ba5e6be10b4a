"""The dossier paths findings cite as evidence (`fiches_actions[4].cout`, `fiches_actions.4.cout`,
`fiches_actions[*].axe`, `dispositifs_anah[0].demandes[objet=etudes]`, several joined by « , »,
a provenance after « ; », a remark in parentheses) -> what a town reads (« Fiche action n° 5 —
coût »), the step of the form that holds it and the HTML id of its field."""

from __future__ import annotations

import functools
import re
from functools import cache

from instruct.form.labels import choice_label, lower_first
from instruct.form.schema import GROUPE, LISTE, Spec, root
from instruct.form.steps import STEP_OF_ROOT, anchor

_TOKEN = re.compile(r"[A-Za-z_]\w*(?:\[[^\]]*\]|\.\d+|\.[A-Za-z_]\w*)*", re.ASCII)
_PART = re.compile(r"\[([^\]]*)\]|\.?(\d+)|\.?([A-Za-z_]\w*)", re.ASCII)
_MACHINE = re.compile(r"_|--|\.(csv|ya?ml|json)\b|^option\b")
_DOTTED = re.compile(r"\b[a-z]+(?:\[[^\]]*\]|\.[a-z_]\w*)+")  # a dossier path inside a remark


def _parts(token: str) -> list:
    """`a.b[3].c[*].d[objet=x]` -> ['a', 'b', 3, 'c', '*', 'd', ('objet', 'x')]."""
    out: list = []
    for bracket, digits, name in _PART.findall(token):
        if name:
            out.append(name)
        elif digits:
            out.append(int(digits))
        elif bracket.isdigit():
            out.append(int(bracket))
        elif "=" in bracket:
            key, _, value = bracket.partition("=")
            out.append((key.strip(), value.strip()))
        else:
            out.append("*")
    return out


def _walk(parts: list) -> tuple[list[tuple[str, str]], list[str]] | None:
    """(segments (kind, label), the form's key parts) for a path of the model, None if it is not one."""
    spec: Spec = root()
    segments: list[tuple[str, str]] = []
    key: list[str] = []
    exact = True
    indexed = False  # the list `spec` has had its item named
    for part in parts:
        if spec.kind == LISTE and not isinstance(part, str) or part == "*":
            if spec.kind != LISTE:
                return None
            if isinstance(part, int):
                segments[-1] = ("item", f"{spec.item_label} n° {part + 1}")
                if exact:
                    key.append(str(part))
            elif isinstance(part, tuple):
                segments[-1] = ("item", f"{spec.item_label} « {lower_first(choice_label(part[1], part[0]))} »")
                exact = False
            else:
                segments[-1] = ("all", spec.label)
                exact = False
            indexed = True
            continue
        if spec.kind not in (GROUPE, LISTE):  # inside a value (a geometry's coordinates): the field itself
            break
        if not isinstance(part, str):
            return None
        if spec.kind == LISTE and not indexed:  # `axes.diagnostic`: the field of every item
            segments[-1] = ("all", spec.label)
            exact = False
        child = spec.child(part)
        if child is None:
            return None
        spec, indexed = child, False
        kind = "group" if spec.kind == GROUPE else "list" if spec.kind == LISTE else "leaf"
        segments.append((kind, spec.label))
        if exact:
            key.append(part)
    return segments, key


def _label(segments: list[tuple[str, str]]) -> list[str]:
    """The parts of a label: every item on the way, then what follows the last one; without an
    item, the closest group and the field (« Convention-cadre », « date de signature »)."""
    items = [i for i, (kind, _) in enumerate(segments) if kind in ("item", "all")]
    if items:
        kept = [s for s in segments[: items[-1]] if s[0] in ("item", "all")] + segments[items[-1] :]
        first = items[0]
        if first and segments[first - 1][0] == "group" and _ambiguous(segments[first][1]):
            kept.insert(0, segments[first - 1])  # « Convention-cadre — signataire n° 1 »
    else:
        groups = [i for i, (kind, _) in enumerate(segments[:-1]) if kind in ("group", "list")]
        kept = ([segments[groups[-1]]] if groups else []) + segments[-1:]
    texts = [text for _, text in kept]
    return [texts[0]] + [lower_first(t) for t in texts[1:]] if texts else []


@cache
def _nouns() -> dict[str, int]:
    """Item noun -> how many lists of the dossier hold such items."""
    counts: dict[str, int] = {}

    def walk(spec: Spec) -> None:
        for child in spec.children:
            if child.kind == LISTE:
                counts[child.item_label] = counts.get(child.item_label, 0) + 1
                counts[child.label] = counts.get(child.label, 0) + 1
            walk(child)

    walk(root())
    return counts


def _ambiguous(label: str) -> bool:
    """« Signataire n° 1 » could be the convention-cadre's, an avenant's or the ORT's."""
    noun = re.sub(r" (n° \d+|« .* »)$", "", label)
    return _nouns().get(noun, 0) > 1


def _split(text: str) -> list[str]:
    """« a, b (x, y) ou c » -> ['a', 'b (x, y)', 'c']: commas and « ou » outside parentheses."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        char = text[i]
        depth += char == "("
        depth -= char == ")"
        if depth == 0 and (char == "," or text.startswith(" ou ", i)):
            out.append(text[start:i])
            i += 1 if char == "," else 4
            start = i
            continue
        i += 1
    out.append(text[start:])
    return [part.strip() for part in out if part.strip()]


def _one(text: str) -> tuple[list[str], str]:
    """One path of the evidence, with its remark in parentheses."""
    text = text.strip()
    remark = ""
    match = re.fullmatch(r"(.*?)\s*\((.*)\)", text)
    if match:
        text, remark = match.group(1).strip(), match.group(2).strip()
    # « à défaut convention.cadre.signataires » -> « à défaut convention-cadre — signataires »
    remark = _DOTTED.sub(lambda m: lower_first(label_of(m.group())) or m.group(), remark)
    typed = re.fullmatch(r"type (\w+)", remark)
    if typed:
        remark = choice_label(typed.group(1), "type")
    elif _MACHINE.search(remark):
        remark = ""
    if text.startswith("pieces/"):
        name = text.removeprefix("pieces/")
        parts = [f"Pièce {name}" if name else "Pièces"]
    else:
        found = _walk(_parts(text)) if _TOKEN.fullmatch(text) else None
        parts = _label(found[0]) if found else ([] if _MACHINE.search(text) or not text else [text])
    return parts, remark


@functools.lru_cache(maxsize=50_000)  # a report cites the same paths save after save
def label_of(path: str) -> str:
    """What a town reads for an evidence path (« » when it names nothing of the dossier): several
    fields of the same item name it once (« Avenant n° 1 — date de signature, délibérations »)."""
    head, _, provenance = path.partition(" ; ")
    labels: list[str] = []
    seen: set[tuple] = set()
    previous: list[str] = []
    for piece in _split(head):
        parts, remark = _one(piece)
        if not parts or (tuple(parts), remark) in seen:
            continue
        seen.add((tuple(parts), remark))
        common = 0  # what the previous label said already (« Avenant n° 1 — ») is not repeated
        while common < min(len(parts) - 1, len(previous)) and parts[common] == previous[common]:
            common += 1
        labels.append(" — ".join(parts[common:]) + (f" ({lower_first(remark)})" if remark else ""))
        previous = parts
    text = ", ".join(labels)
    provenance = provenance.strip()
    if text and provenance and not _MACHINE.search(provenance):
        text += f" ({provenance})"
    return text


def _first(path: str) -> list[str] | None:
    for piece in _split(path.partition(" ; ")[0]):
        token = re.sub(r"\s*\(.*\)$|\.__\w+$", "", piece)  # a remark; a form's marker (`.__nombre`)
        found = _walk(_parts(token)) if _TOKEN.fullmatch(token) else None
        if found:
            return found[1]
    return None


@functools.lru_cache(maxsize=50_000)  # a report cites the same paths save after save
def step_of(path: str) -> str | None:
    """The slug of the step that holds the first field a path names, or None."""
    if path.strip().startswith("pieces/"):
        return "pieces"
    key = _first(path)
    return STEP_OF_ROOT.get(key[0]) if key else None


def key_of(path: str) -> str | None:
    """The form's field name for the first field a path names (`fiches_actions.4.cout`)."""
    if path.strip().startswith("pieces/"):
        return "pieces"
    key = _first(path)
    return ".".join(key) if key else None


@functools.lru_cache(maxsize=50_000)  # a report cites the same paths save after save
def anchor_of(path: str) -> str | None:
    """The HTML id of the field (or group) a path names, to link to; None if it names none."""
    key = key_of(path)
    return anchor(key) if key else None
