"""The one packaging rule pyproject.toml cannot say: the rule catalogue ships in the package.

`rules/` stays at the top of the repository (it is what a DDT agent reads); the wheel carries
it as `instruct/regles/`, so that an installed `acv` has the whole catalogue
(`instruct.rules.catalogue.default_rules_dir` looks there first). Its files are package data
in pyproject.toml, with everything else about the build.
"""

from setuptools import find_namespace_packages, setup

setup(
    packages=[*find_namespace_packages(include=["instruct*"]), "instruct.regles"],
    package_dir={"instruct.regles": "rules"},
)
