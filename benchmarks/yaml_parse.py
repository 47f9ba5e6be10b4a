"""YAML parsing: the ways to read a dossier.yaml, measured against yamlio's path before in the same run.

    .venv/bin/python benchmarks/yaml_parse.py [--n 20] [--repeat 5] [--seed 1] [--horloge cpu|mur]

Texts: the samples' dossier.yaml files and N generated dossiers (benchmarks/engine.py's generator
and emitter, ~42 KiB each). For each way, the median over --repeat passes of the time per text
(CPU clock by default), its range, and the ratio to yamlio's path before (`yamlio._parse_slow`: the
same reading with PyYAML's constructor, kept for the tests):

- yamlio.parse: the C parser, our budgeted composer or libyaml's, our constructor (`yamlio._build`);
- yamlio before: the same composition, PyYAML's SafeConstructor (duplicate keys, dates as text);
- libyaml's composer alone (the node tree, no objects): the floor of this way;
- yaml.load(CSafeLoader): libyaml's composer and PyYAML's constructor, no checks;
- the Rust/C++ parsers that are installed (not dependencies: `pip install yaml-rs ryaml pyyaml-rs
  rapidyaml`): yaml_rs, ryaml, pyyaml_rs, rapidyaml (parse only);
- json.loads and orjson.loads of the same data (JSON as the service's internal format).

Then the alias bomb, and a table of what each parser makes of scalars YAML 1.1 and 1.2 read
differently, duplicate keys, merge keys, anchors and tags. Nothing is written.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import common
import engine

from instruct import yamlio

try:
    from yaml._yaml import CParser
except ImportError:  # PyYAML without libyaml
    CParser = None


def optional(name: str):
    try:
        return __import__(name)
    except ImportError:
        return None


yaml_rs, ryaml, pyyaml_rs, ryml, orjson = (optional(n) for n in ("yaml_rs", "ryaml", "pyyaml_rs", "ryml", "orjson"))


def libyaml_composer(text: str):
    loader = ComposerLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


if CParser is not None:

    class ComposerLoader(CParser, yaml.resolver.Resolver):
        def __init__(self, stream):
            CParser.__init__(self, stream)
            yaml.resolver.Resolver.__init__(self)


BEFORE = "yamlio before (PyYAML's constructor)"


def our_composer(text: str):
    loader = yamlio._Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def build_or_decline(node):
    with contextlib.suppress(yamlio._Declined):
        return yamlio._build(node)


def stages(texts: list[str]) -> dict[str, tuple[Callable, list]]:
    """The parts: the path before's composer (ours for a text with `&`), and both constructors on the
    trees of libyaml's composer (a tree _build declines is counted up to where it declines)."""
    found: dict[str, tuple[Callable, list]] = {"stage: the path before's composer": (our_composer, texts)}
    if CParser is not None:
        trees = [libyaml_composer(text) for text in texts]
        found["stage: _build on libyaml's trees"] = (build_or_decline, trees)
        found["stage: PyYAML's constructor, same trees"] = (yamlio._Loader("").construct_document, trees)
    return found


def rust_parsers() -> dict[str, Callable[[str], object]]:
    """The Rust parsers that are installed (none is a dependency), each reading a text into objects."""
    found: dict[str, Callable[[str], object]] = {}
    if yaml_rs is not None:
        found["yaml_rs.loads"] = lambda text: yaml_rs.loads(text, parse_datetime=False)
    if ryaml is not None:
        found["ryaml.loads"] = ryaml.loads
    if pyyaml_rs is not None:
        found["pyyaml_rs.safe_load"] = pyyaml_rs.safe_load
    return found


def ways() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {
        "yamlio.parse (our constructor)": lambda text: yamlio.parse(text, "x.yaml"),
        BEFORE: lambda text: yamlio._parse_slow(text, "x.yaml"),
    }
    if CParser is not None:
        found["libyaml composer alone (no objects)"] = libyaml_composer
        found["yaml.load(CSafeLoader), no checks"] = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)
    found.update(rust_parsers())
    if ryml is not None:
        found["rapidyaml parse (no objects)"] = lambda text: ryml.parse_in_arena(text.encode("utf-8"))
    return found


def timed(jobs: dict[str, tuple[Callable, list]], clock: Callable[[], float], repeat: int) -> dict[str, list[float]]:
    """Seconds per item of each job (function, items), one value per pass; the jobs take turns in each
    pass, so that a change of the machine's load falls on all of them."""
    for function, items in jobs.values():
        for item in items[:2]:
            function(item)  # warm-up
    passes: dict[str, list[float]] = {name: [] for name in jobs}
    gc.collect()
    gc.freeze()  # the texts and trees prepared are not walked again by every collection while timing
    for _ in range(repeat):
        for name, (function, items) in jobs.items():
            start = clock()
            for item in items:
                function(item)
            passes[name].append((clock() - start) / len(items))
    gc.unfreeze()
    return passes


SCALAR_CASES = [
    ("yes / on", "v: [yes, On]\n"),
    ("octal 010", "v: 010\n"),
    ("0o10", "v: 0o10\n"),
    ("1_000", "v: 1_000\n"),
    ("1:30", "v: 1:30\n"),
    ("1e3", "v: 1e3\n"),
    ("09262", "v: 09262\n"),
    ("date", "v: 2024-01-15\n"),
    ("2019-02-30", "v: 2019-02-30\n"),
    ("~", "v: ~\n"),
    ("clé en double", "v: 1\nv: 2\n"),
    ("fusion <<", "a: &a {x: 1}\nv:\n  <<: *a\n  y: 2\n"),
    ("ancre, alias", "a: &a [1]\nv: *a\n"),
    ("&a [*a]", "v: &a [1, *a]\n"),
    ("!!python/object", "v: !!python/object:os.system 1\n"),
    ("!local", "v: !local x\n"),
]


def scalar_table(parsers: dict[str, Callable[[str], object]]) -> list[str]:
    """What each parser makes of each case: `=` when it is what yamlio.parse gives."""
    lines = []
    names = list(parsers)
    lines.append("| cas | " + " | ".join(names) + " |")
    lines.append("| --- |" + " --- |" * len(names))
    for label, text in SCALAR_CASES:
        cells, reference = [], None
        for name in names:
            try:
                value = parsers[name](text)
                value = value.get("v", value) if isinstance(value, dict) else value
                cell = repr(value)
            except Exception as exc:
                cell = "erreur" if not isinstance(exc, yamlio.InputError) else "erreur (fr)"
            if reference is None:
                reference = cell
                cells.append(cell)
            else:
                cells.append("=" if cell == reference else cell)
        lines.append(f"| {label} | " + " | ".join(cells[:1] + cells[1:]) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20, help="generated dossiers (default 20)")
    parser.add_argument("--repeat", type=int, default=5, help="passes, the median is shown (default 5)")
    parser.add_argument("--seed", type=int, default=1)
    common.add_clock_argument(parser, default="cpu")
    args = parser.parse_args()
    clock = common.clock(args)
    print(common.header("YAML parsing (benchmarks/yaml_parse.py)", args))

    rng = random.Random(args.seed)
    generated = [engine.dump_yaml(engine.make_dossier(i, rng)) for i in range(args.n)]
    samples = [path.read_text(encoding="utf-8") for path in sorted((common.ROOT / "samples").glob("*/dossier.yaml"))]
    corpora = {"generated": generated, "samples": samples}
    sizes = [len(text.encode("utf-8")) for text in generated]
    print(
        f"texts: {len(generated)} generated (median {statistics.median(sizes) / 1024:.1f} KiB), "
        f"{len(samples)} samples' dossier.yaml; --repeat {args.repeat}"
    )
    slow = [yamlio._parse_slow(t, "x.yaml") for t in generated + samples]
    assert [yamlio.parse(t, "x.yaml") for t in generated + samples] == slow, "objects differ"

    all_ways = ways()
    for corpus, texts in corpora.items():
        print(f"\n{corpus}: ms per text, median (range) of {args.repeat} passes; ratio to yamlio before")
        jobs = {name: (function, texts) for name, function in all_ways.items()}
        as_json = [json.dumps(yamlio.parse(text, "x.yaml"), ensure_ascii=False) for text in texts]
        jobs["json.loads (same data)"] = (json.loads, as_json)
        if orjson is not None:
            jobs["orjson.loads (same data)"] = (orjson.loads, as_json)
        jobs.update(stages(texts))
        results = timed(jobs, clock, args.repeat)
        base = statistics.median(results[BEFORE])
        for name, values in results.items():
            median = statistics.median(values)
            print(
                f"  {name:38s} {median * 1000:8.2f} ms ({min(values) * 1000:.2f}–{max(values) * 1000:.2f})"
                f"  ×{median / base:5.3f}  ({base / median:5.1f}× faster)"
            )

    bomb = (
        "a: &a ["
        + ",".join(["x"] * 9)
        + "]\n"
        + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))
    )
    print()
    for name, function in (
        ("yamlio.parse", lambda t: yamlio.parse(t, "x.yaml")),
        ("yamlio before", lambda t: yamlio._parse_slow(t, "x.yaml")),
    ):
        spent = []
        for _ in range(args.repeat):
            start = time.process_time()
            with contextlib.suppress(yamlio.InputError):
                function(bomb)
            spent.append(time.process_time() - start)
        print(f"alias bomb (9^9 = 387 million strings) refused by {name}: {common.summary(spent, 1e6, 'µs')} CPU")

    parsers = {"yamlio.parse": lambda text: yamlio.parse(text, "x.yaml")}
    if CParser is not None:
        parsers["PyYAML CSafeLoader"] = lambda text: yaml.load(text, Loader=yaml.CSafeLoader)
    parsers.update(rust_parsers())
    print("\nscalars and structures (`=`: as yamlio.parse; the alias bomb is left out, it would expand):")
    print("\n".join(scalar_table(parsers)))


if __name__ == "__main__":
    main()
