"""Score of one mutmut run (scripts/mutation.sh), after the reviewed list of accepted mutants.

usage: mutation_score.py WORKDIR MODULE_FILE NAME ACCEPTED_LIST

The accepted list has one mutant a line: ``<mutant name>  <kind>: <reason>``, kind being
``equivalent`` (no program behaviour differs) or ``message`` (only the text of an error
message or a log line differs); ``#`` starts a comment. A mutant on the list that is
killed now is reported as stale (the list should lose it).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KILLED = {1, 3}
SURVIVED = {0}
NO_TESTS = {5, 33}
TIMEOUT = {24, -24, 36, 152, 255}


def main() -> int:
    work, module_file, name, accepted_path = sys.argv[1:5]
    meta = Path(work) / "mutants" / (module_file + ".meta")
    data = json.loads(meta.read_text("utf-8"))
    codes: dict[str, int | None] = data["exit_code_by_key"]
    accepted: dict[str, str] = {}
    for line in Path(accepted_path).read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        key, _, reason = line.partition(" ")
        accepted[key] = reason.strip()
    counts = Counter()
    gaps: list[str] = []
    no_tests: list[str] = []
    stale: list[str] = []
    for key, code in sorted(codes.items()):
        if code in KILLED or code in TIMEOUT:
            counts["killed"] += 1
            if key in accepted:
                stale.append(key)
        elif code in SURVIVED:
            if key in accepted:
                counts["accepted"] += 1
            else:
                counts["survived"] += 1
                gaps.append(key)
        elif code in NO_TESTS:
            counts["no_tests"] += 1
            no_tests.append(key)
        else:
            counts[f"other({code})"] += 1
            gaps.append(f"{key} (exit {code})")
    total = len(codes)
    raw = counts["killed"] / total if total else 1.0
    considered = total - counts["accepted"]
    score = counts["killed"] / considered if considered else 1.0
    print(
        f"{name}: {total} mutants, {counts['killed']} killed, {counts['accepted']} accepted, "
        f"{counts['survived']} survived, {counts['no_tests']} reach no test; "
        f"raw {raw:.1%}, after the accepted list {score:.1%}"
    )
    for key in gaps:
        print(f"  survivor: {key}")
    for key in no_tests:
        print(f"  no test: {key}")
    for key in stale:
        print(f"  stale in the accepted list (killed now): {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
