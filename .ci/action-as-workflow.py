#!/usr/bin/python3
"""Write action.yml's composite steps as a reusable workflow, for actionlint.

actionlint checks workflows, not action metadata: it reads a local action's
inputs only to check a `uses: ./` step. Turned into a workflow_call workflow
with the same inputs, the action's steps get the same checks as a workflow's:
expressions and contexts, the inputs of the actions it uses, and shellcheck
on every bash script.

    .ci/action-as-workflow.py action.yml OUT.yml
"""
import sys

import yaml


def main(src, dst):
    with open(src) as f:
        action = yaml.safe_load(f)
    for key in ("name", "description", "inputs", "runs"):
        if key not in action:
            sys.exit(f"{src}: no {key}")
    runs = action["runs"]
    if runs.get("using") != "composite":
        sys.exit(f"{src}: runs.using is {runs.get('using')!r}, want composite")
    inputs = {}
    for name, spec in action["inputs"].items():
        if "description" not in spec:
            sys.exit(f"{src}: input {name} has no description")
        inp = {"description": spec["description"], "type": "string", "required": bool(spec.get("required", False))}
        if "default" in spec:
            inp["default"] = str(spec["default"])
        inputs[name] = inp
    for i, step in enumerate(runs["steps"]):
        if "run" in step and "shell" not in step:
            sys.exit(f"{src}: step {i + 1} ({step.get('name', '?')}) runs a script with no shell: composite steps need one")
    for name, spec in (action.get("outputs") or {}).items():
        if "value" not in spec:
            sys.exit(f"{src}: output {name} has no value: composite outputs need one")
    workflow = {
        "name": f"{action['name']} (action.yml as a workflow, for actionlint)",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": runs["steps"]}},
    }
    with open(dst, "w") as f:
        yaml.safe_dump(workflow, f, sort_keys=False, width=1000)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
