#!/usr/bin/env python3
"""Generate data/rds-engine-versions.json from the shared RDS engine-version
facts (../shared/data/rds-engine-versions.json by default).

The repository keeps only what the deploy-blocker rules read: per resource
type and engine, the versions RDS lists (`listed`) and, of those, the ones it
no longer offers for creating a cluster or instance (`not_offered`), plus
where the facts came from and the date they were checked. Run it again when
the shared data is refreshed:

    python3 scripts/gen-rds-engine-versions.py [SOURCE] > data/rds-engine-versions.json
"""
import json
import sys
from pathlib import Path

def major(engine: str, version: str) -> str:
    """The major version, as reachlint reads it (src/rules/data.rs `major`):
    `14` of `14.4`, `9.6` of `9.6.22`, `8.0` of `8.0.mysql_aurora.3.02.0`."""
    parts = version.split(".")
    two = ".".join(parts[:2])
    if "postgres" in engine:
        try:
            if int(parts[0]) >= 10:
                return parts[0]
        except ValueError:
            pass
    return two


def main() -> None:
    here = Path(__file__).resolve().parent.parent
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "shared" / "data" / "rds-engine-versions.json"
    raw = json.loads(src.read_text())
    for key in ("source", "checked", "resources"):
        if key not in raw:
            sys.exit(f"{src}: no `{key}`")
    resources = {}
    for rtype, engines in sorted(raw["resources"].items()):
        out = {}
        for engine, facts in sorted(engines.items()):
            listed = sorted(set(facts.get("all", [])))
            not_offered = sorted(set(facts.get("deprecated", [])) & set(listed))
            # majors whose every offered minor is an RDS Extended Support
            # release (`<major>.<minor>-rds.<date>`): RDS creates them only
            # for a resource enrolled in Extended Support
            offered_by_major = {}
            for v in listed:
                if v not in not_offered and major(engine, v) != v:
                    offered_by_major.setdefault(major(engine, v), []).append(v)
            extended = sorted(
                m for m, vs in offered_by_major.items() if all("-rds." in v for v in vs)
            )
            out[engine] = {
                "listed": listed,
                "not_offered": not_offered,
                "extended_support_only": extended,
            }
        resources[rtype] = out
    doc = {
        "source": raw["source"],
        "checked": raw["checked"],
        "generated_by": "scripts/gen-rds-engine-versions.py",
        "meaning": "listed: the engine versions RDS lists for the resource type; a version not "
        "listed cannot be created (error). not_offered: listed, but no longer offered for creating "
        "a new cluster or instance (warning: creating it, as a new environment does, fails). "
        "extended_support_only: majors whose every offered minor is an RDS Extended Support "
        "release (`-rds.<date>`): RDS creates them only for a resource enrolled in Extended "
        "Support, its default (EngineLifecycleSupport open-source-rds-extended-support). "
        "Engines absent here are not checked.",
        "resources": resources,
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")

if __name__ == "__main__":
    main()
