"""The one packaging rule pyproject.toml cannot say: the rule catalogue ships in the package.

`rules/` stays at the top of the repository (it is what a DDT agent reads); the wheel carries
it as `instruct/regles/`, so that an installed `acv` has the whole catalogue
(`instruct.rules.catalogue.default_rules_dir` looks there first), and the rules' example cases
(`tests/cases/*.yaml`) as `instruct/exemples/`, so that a rule's page shows them
(`instruct.rules.examples.default_cases_dir`). Their files are package data in pyproject.toml,
with everything else about the build.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["instruct*"]), "instruct.regles", "instruct.exemples"],
    package_dir={"instruct.regles": "rules", "instruct.exemples": "tests/cases"},
)
