"""durable-rules kept apart: `--moteur python` never imports it (a real `acv` process), and the web service
evaluates in worker processes, so that a worker killed mid-evaluation fails that request alone."""

import json
import subprocess
import sys

from conftest import ROOT, SAMPLES

# Runs the CLI's main() for each argv, then reports which durable-rules modules the process holds.
RUN_CLI = """
import json, sys
from instruct.cli.main import main
codes = [main(argv) for argv in json.loads(sys.argv[1])]
held = sorted(m for m in sys.modules if m.split(".")[0] in ("durable", "durable_rules_engine"))
print(json.dumps({"codes": codes, "durable": held}))
"""


def _cli(commands: list[list[str]]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN_CLI, json.dumps(commands)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _checks(engine: str, out) -> list[list[str]]:
    common = ["--date", "2026-11-26", "--referentiel", str(SAMPLES / "referentiel"), "--moteur", engine]
    return [
        ["check", str(SAMPLES / name), *common, "--format", fmt, "-o", str(out / f"{name}.{fmt}")]
        for name in ("villebelle", "saint-aubin")
        for fmt in ("text", "json", "markdown", "html", "docx")
    ]


def test_the_python_engine_never_imports_durable_rules(tmp_path):
    result = _cli(_checks("python", tmp_path))
    assert set(result["codes"]) <= {0, 1}, result  # 1: gaps found, the report is still written
    assert result["durable"] == []
    assert all(path.stat().st_size > 0 for path in tmp_path.iterdir()) and len(list(tmp_path.iterdir())) == 10


def test_the_durable_engine_imports_it_on_first_use(tmp_path):
    result = _cli(_checks("durable", tmp_path)[:1])
    assert result["codes"][0] in {0, 1}
    assert "durable_rules_engine" in result["durable"]
