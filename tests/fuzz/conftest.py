"""The fuzzing suite (issue 13): hypothesis profiles and the example budget.

`make test` deselects it (`-m "not fuzz"` in pyproject's addopts); `make fuzz` selects it with
HYPOTHESIS_PROFILE=fuzz: a large budget, random seeds, failing examples kept in
.pytest_cache/hypothesis/examples and replayed first on the next run.
"""

import os
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.database import DirectoryBasedExampleDatabase

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / ".pytest_cache" / "hypothesis"  # ignored by git (.hypothesis/ is not)

set_hypothesis_home_dir(str(HOME))  # hypothesis's own cache (constants) goes there too

# The default profile: fixed seeds (derandomize), no example database, so that two runs of the
# small suite see exactly the same dossiers. Each test sets its own max_examples (fuzzing.budget).
# No shrinking: every example runs both engines, and shrinking several distinct failures took
# minutes (5 for the schema-generated dossiers); `make fuzz` shrinks.
settings.register_profile(
    "small",
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "fuzz",
    derandomize=False,
    database=DirectoryBasedExampleDatabase(str(HOME / "examples")),
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "small"))
