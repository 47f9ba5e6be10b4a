"""The package keeps the shape of its pipeline: every module imports, no import cycle, each
stage imports only what its `__init__` docstring says it may ("May import: …"), and no module
grows past 500 lines."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

import instruct

PACKAGE = Path(instruct.__file__).resolve().parent
COMMON = "instruct"  # the modules at the package's top (errors, yamlio, french, vocabulary)


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        if "migrations" in rel.parts:  # Alembic scripts, run by Alembic
            continue
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        found[name] = path
    return found


def stage(module: str) -> str:
    """`instruct.engine.check` -> `engine`; `instruct.french` -> `instruct`."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return COMMON


def imports(path: Path, name: str, *, top_level_only: bool) -> set[str]:
    """The instruct modules `path` imports (resolved to modules, not names)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    if top_level_only:  # `if TYPE_CHECKING:` blocks are not imports at run time
        nodes = [n for n in nodes if isinstance(n, ast.Import | ast.ImportFrom)]
    known = modules()
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("instruct")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name if path.name == "__init__.py" else name.rpartition(".")[0]
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            if not base.startswith("instruct"):
                continue
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return found - {name}


def allowed(package: str) -> set[str] | None:
    """What a stage's docstring lets it import; None for "any package"."""
    init = PACKAGE / "__init__.py" if package == COMMON else PACKAGE / package / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    match = re.search(r"^May import: (.+)$", doc, re.M)
    assert match, f"{init}: the docstring must say what the stage may import (« May import: … »)"
    line = re.sub(r"\([^)]*\)", "", match.group(1)).rstrip(".")
    if line.strip() == "any package":
        return None
    return {part.strip() for part in line.split(",")} | {package}


@pytest.mark.parametrize("name", sorted(modules()))
def test_every_module_imports(name):
    importlib.import_module(name)


def test_each_stage_imports_only_what_it_declares():
    wrong = []
    for name, path in modules().items():
        mine = stage(name)
        permitted = allowed(mine)
        if permitted is None:
            continue
        for target in imports(path, name, top_level_only=False):
            if stage(target) not in permitted:
                wrong.append(f"{name} imports {target} ({mine} may import {sorted(permitted)})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    graph = {name: imports(path, name, top_level_only=True) for name, path in modules().items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state and (cycle := visit(node)):
            pytest.fail("import cycle: " + " -> ".join(cycle))


def test_no_module_over_500_lines():
    """One job a module: a module that grows past 500 lines is split by job."""
    long = {
        name: n for name, path in modules().items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long, f"modules over 500 lines: {long}"
