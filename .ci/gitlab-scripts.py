#!/usr/bin/python3
"""Write each job of a GitLab CI file as the bash script its runner would run
(variables, before_script and script in one shell, as GitLab does), for
shellcheck.

    .ci/gitlab-scripts.py .gitlab-ci.yml OUTDIR
"""
import os
import sys

import yaml

KEYWORDS = {"default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script", "after_script"}


def job_value(jobs, job, key):
    """job's key, following extends: as GitLab does (the job's own wins)."""
    if key in job:
        return job[key]
    parents = job.get("extends", [])
    if isinstance(parents, str):
        parents = [parents]
    for p in reversed(parents):
        if p not in jobs:
            sys.exit(f"extends: {p!r} is not defined")
        v = job_value(jobs, jobs[p], key)
        if v is not None:
            return v
    return None


def lines(v):
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    out = []
    for item in v:
        out.extend(lines(item) if isinstance(item, list) else [item])
    return out


def main(src, outdir):
    with open(src) as f:
        ci = yaml.safe_load(f)
    os.makedirs(outdir, exist_ok=True)
    glob = ci.get("variables", {})
    n = 0
    for name, job in ci.items():
        if name in KEYWORDS or name.startswith(".") or not isinstance(job, dict):
            continue
        script = lines(job_value(ci, job, "script"))
        if not script:
            sys.exit(f"{src}: job {name} has no script")
        env = dict(glob)
        env.update(job_value(ci, job, "variables") or {})
        with open(os.path.join(outdir, f"{name}.sh"), "w") as out:
            out.write("#!/usr/bin/env bash\n# shellcheck disable=SC2154  # CI_* and the project's variables come from GitLab\n")
            out.write("set -eo pipefail\n")
            for k, v in env.items():
                out.write(f"export {k}={shquote(str(v))}\n")
            for cmd in lines(job_value(ci, job, "before_script")) + script:
                out.write(cmd.rstrip("\n") + "\n")
        n += 1
    if n == 0:
        sys.exit(f"{src}: no jobs")


def shquote(s):
    # Values like $CLOUDFLARE_READ_TOKEN are expanded by GitLab: keep them expandable.
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
