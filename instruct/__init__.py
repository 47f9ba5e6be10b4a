"""acv-instruct: Action Cœur de Ville dossiers checked against the partners' rules.

The pipeline, one subpackage per stage, each importing only the stages below it:
documents (pieces and dossier.yaml -> validated `model.Dossier`) -> facts -> rules and
engine (findings, verdicts: `engine.check.check_dossier`) -> reports; referentiel holds the
official lists. The shells sit on top: cli, service (web), batch; samples makes test dossiers.
The modules here are the common ground every stage may use: errors and messages (French
errors), yamlio and yamlcompose (YAML and JSON read under budgets), french (numbers, amounts,
dates) and vocabulary.

May import: instruct (the common modules).
"""
