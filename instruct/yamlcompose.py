"""YAML composed under a budget, and PyYAML's errors in French.

libyaml (the C parser) turns the text into events; a composer of ours builds the node tree from
them and counts as it goes, before any Python object is made: a node deeper than `max_depth`
containers, or a document whose expanded size (an alias counting as the whole of what its anchor
holds) passes `max_nodes`, stops at once with the line. An alias bomb is refused after at most
`max_nodes` events, whatever the expansion it promises; an alias to a node still being composed
(`&a [*a]`, a cycle) is refused too. The tree itself keeps the aliases shared.
"""

from __future__ import annotations

import re

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

try:
    from yaml._yaml import CParser  # libyaml
except ImportError:  # PyYAML built without it
    CParser = None


PLAIN_CHARS = 128 * 1024  # below, and without `&`, libyaml's own composer (faster) is used: it holds < 64 K nodes


class LimitError(yaml.MarkedYAMLError):
    """A limit passed (size, depth, an alias that cannot be expanded): its message is French."""


class BudgetComposer:
    """Composer (PyYAML's `Composer` interface: get_single_node) counting nodes and depth."""

    max_nodes = 100_000  # the largest sample or generated dossier: 1 729; a rule or case file: 5 088
    max_depth = 40

    def get_single_node(self):
        self.get_event()  # stream start
        document = None
        self.anchors, self._sizes, self._nodes = {}, {}, 0
        if not self.check_event(StreamEndEvent):
            self.get_event()  # document start
            document, _ = self._compose(None, None, 1)
            self.get_event()  # document end
        if not self.check_event(StreamEndEvent):
            event = self.get_event()
            raise LimitError(None, None, "un seul document attendu : « --- » ou « ... » en trop", event.start_mark)
        self.get_event()
        return document

    def measure(self, root) -> None:
        """The limits on a tree without shared nodes (one composed without anchors)."""
        self._nodes, stack = 0, [(root, 1)] if root is not None else []
        while stack:
            node, level = stack.pop()
            self._count(1, node.start_mark)
            if isinstance(node, ScalarNode):
                continue
            if level > self.max_depth:
                raise self._too_deep(node.start_mark)
            if isinstance(node, MappingNode):
                stack += [(child, level + 1) for pair in node.value for child in pair]
            else:
                stack += [(child, level + 1) for child in node.value]

    def _count(self, size: int, mark) -> None:
        self._nodes += size
        if self._nodes > self.max_nodes:
            raise LimitError(
                None,
                None,
                f"document trop grand : plus de {self.max_nodes} éléments une fois les alias (*) développés",
                mark,
            )

    def _too_deep(self, mark):
        return LimitError(None, None, f"imbrication trop profonde (plus de {self.max_depth} niveaux)", mark)

    def _compose(self, parent, index, level: int):
        """(node, height): height is the number of nested containers from this node down."""
        if self.check_event(AliasEvent):
            event = self.get_event()
            if event.anchor not in self.anchors:
                raise LimitError(
                    None, None, f"alias *{event.anchor} sans ancre &{event.anchor} avant lui", event.start_mark
                )
            if event.anchor not in self._sizes:
                raise LimitError(
                    None, None, f"alias *{event.anchor} à l'intérieur de sa propre ancre", event.start_mark
                )
            size, height = self._sizes[event.anchor]
            self._count(size, event.start_mark)
            if height and level + height - 1 > self.max_depth:
                raise self._too_deep(event.start_mark)
            return self.anchors[event.anchor], height
        event = self.peek_event()
        anchor = event.anchor
        if anchor is not None and anchor in self.anchors:
            raise LimitError(None, None, f"ancre &{anchor} en double", event.start_mark)
        before = self._nodes
        self._count(1, event.start_mark)
        self.descend_resolver(parent, index)
        if self.check_event(ScalarEvent):
            node, height = self._scalar(anchor), 0
        else:
            if level > self.max_depth:
                raise self._too_deep(event.start_mark)
            node, height = self._collection(anchor, level)
        self.ascend_resolver()
        if anchor is not None:
            self._sizes[anchor] = (self._nodes - before, height)
        return node, height

    def _scalar(self, anchor):
        event = self.get_event()
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolve(ScalarNode, event.value, event.implicit)
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        if anchor is not None:
            self.anchors[anchor] = node
        return node

    def _collection(self, anchor, level: int):
        start = self.get_event()
        mapping = isinstance(start, MappingStartEvent)
        kind, end = (MappingNode, MappingEndEvent) if mapping else (SequenceNode, SequenceEndEvent)
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(kind, None, start.implicit)
        node = kind(tag, [], start.start_mark, None, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        height = 0
        while not self.check_event(end):
            if mapping:
                key, key_height = self._compose(node, None, level + 1)
                value, value_height = self._compose(node, key, level + 1)
                node.value.append((key, value))
                height = max(height, key_height, value_height)
            else:
                item, item_height = self._compose(node, len(node.value), level + 1)
                node.value.append(item)
                height = max(height, item_height)
        node.end_mark = self.get_event().end_mark
        return node, height + 1


def loader_class(constructor: type) -> type:
    """A loader: libyaml's parser (PyYAML's own if it was built without), our composer,
    `constructor` (a SafeConstructor) and the resolver."""
    resolver = yaml.resolver.Resolver
    if CParser is not None:

        class Loader(BudgetComposer, CParser, constructor, resolver):
            def __init__(self, stream):
                self.plain = isinstance(stream, str) and len(stream) <= PLAIN_CHARS and "&" not in stream
                CParser.__init__(self, stream)
                constructor.__init__(self)
                resolver.__init__(self)

            def get_single_node(self):
                """A short text without an anchor (no `&` at all) cannot expand: libyaml composes
                it (its nesting stops at 1 000), and the tree is measured before anything is built."""
                if not self.plain:
                    return BudgetComposer.get_single_node(self)
                node = CParser.get_single_node(self)
                self.measure(node)
                return node

        return Loader

    class PureLoader(
        BudgetComposer, yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, constructor, resolver
    ):
        def __init__(self, stream):
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            constructor.__init__(self)
            resolver.__init__(self)

    return PureLoader


if CParser is not None:

    class TreeLoader(CParser, yaml.resolver.Resolver):
        """libyaml's own composer and PyYAML's resolver: the node tree (aliases shared, no limit
        checked), for a caller that walks it under the limits itself (yamlio._build)."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.resolver.Resolver.__init__(self)

else:
    TreeLoader = None


# PyYAML's (libyaml's, and the pure-Python parser's) problems, in French: pattern -> message.
MESSAGES = [
    (r"nesting depth", f"imbrication trop profonde (plus de {BudgetComposer.max_depth} niveaux)"),
    (
        r"mapping values are not allowed",
        "« : » inattendu : un texte contenant « : » se met entre guillemets, ou l'indentation est fausse",
    ),
    (
        r"cannot start any token",
        "caractère qui ne peut pas commencer une valeur (« @ », « ` », une tabulation…) : "
        "mettez le texte entre guillemets et indentez avec des espaces",
    ),
    (r"could not find expected ':'", "« : » attendu après la clé (une clé tient sur une ligne)"),
    (r"expected key|expected <block end>", "clé attendue : l'indentation ne correspond à aucun niveau au-dessus"),
    (r"expected '-' indicator", "élément de liste « - » attendu : l'indentation de la liste est incohérente"),
    (r"expected ',' or '\]'", "« , » ou « ] » attendu : liste entre crochets non refermée"),
    (r"expected ',' or '}'", "« , » ou « } » attendu : objet entre accolades non refermé"),
    (r"expected node content|expected the node content", "valeur attendue à cet endroit"),
    (r"expected <document start>", "contenu inattendu après la fin du document"),
    (r"unexpected end of stream", "fin du fichier inattendue (un guillemet n'est pas refermé ?)"),
    (
        r"unknown escape character",
        "séquence « \\ » inconnue entre guillemets doubles (utilisez des guillemets simples)",
    ),
    (r"hexdecimal number|hexadecimal number", "chiffres hexadécimaux attendus après « \\x », « \\u » ou « \\U »"),
    (r"tab character|tabs", "tabulation dans l'indentation : indentez avec des espaces"),
    (
        r"undefined tag handle|constructor for the tag",
        "étiquette « ! » non autorisée : seules les valeurs simples le sont",
    ),
    (r"unhashable key", "une clé doit être un texte ou un nombre, pas une liste ni un objet"),
    (r"%YAML directive|%TAG directive|incompatible YAML document", "directive « % » non prise en charge"),
    (r"base64", "données !!binary invalides (base64)"),
    (r"block sequence entries are not allowed", "« - » inattendu : une liste ne peut pas commencer ici"),
    (r"mapping keys are not allowed", "clé « ? » inattendue ici"),
    (r"undefined alias", "alias (*) sans ancre (&) avant lui"),
    (r"duplicate anchor", "ancre (&) en double"),
    (r"single document", "un seul document attendu : « --- » ou « ... » en trop"),
    (r"unacceptable character|control characters|special characters", "caractère de contrôle interdit"),
    (r"invalid (leading|trailing) UTF-8|incomplete UTF-8|invalid Unicode", "texte qui n'est pas de l'UTF-8 valide"),
    (r"comment or (a )?line break", "commentaire ou fin de ligne attendu après la valeur"),
    (
        r"expected alphabetic or numeric character|expected ' ', but found",
        "nom d'ancre, d'alias ou d'étiquette invalide",
    ),
    (r"block scalar|indentation indicator|chomping", "bloc de texte (« | » ou « > ») mal indiqué"),
    (r"expected URI|URI escape", "étiquette « ! » invalide"),
]


def french(exc: yaml.YAMLError, text: str) -> tuple[str, int | None]:
    """A PyYAML error as a French message, with its 1-based line (None if unknown); the column is
    in the message. Nothing English passes: what is not translated is said in general terms."""
    if isinstance(exc, LimitError):
        return exc.problem, exc.problem_mark.line + 1 if exc.problem_mark else None
    if isinstance(exc, yaml.reader.ReaderError) or type(exc).__name__ == "ReaderError":
        position = getattr(exc, "position", 0) or 0  # in UTF-8 bytes for libyaml, in characters for PyYAML
        character = getattr(exc, "character", None)
        code = f" (#x{character:04x})" if isinstance(character, int) else ""
        before = text.encode("utf-8", "replace")[:position] if CParser is not None else text[:position]
        return f"caractère de contrôle interdit{code}", before.count(b"\n" if CParser is not None else "\n") + 1
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    words = f"{getattr(exc, 'context', None) or ''} {getattr(exc, 'problem', None) or ''}"
    message = next(
        (french for pattern, french in MESSAGES if re.search(pattern, words)), "syntaxe YAML invalide à cet endroit"
    )
    if mark is None:
        return message, None
    return f"{message} (colonne {mark.column + 1})", mark.line + 1
