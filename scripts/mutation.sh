#!/usr/bin/env bash
# Mutation testing of the core's rule modules (issue 17): mutmut 3 over one module at a
# time, against the tests that exercise that module. Not part of CI (an hour or more for
# all of them on two cores).
#
#   scripts/mutation.sh              # every module below
#   scripts/mutation.sh numerals     # one (or several) by name
#   scripts/mutation.sh --list       # the names
#   scripts/mutation.sh --at 78b2f4c numerals   # the same, on the tree of a commit
#                                    # (a "before" figure: that commit's code and tests)
#
# Each module runs in its own copy of the tree under .mutation/<name>/ (mutmut's
# configuration is per directory: setup.cfg's [mutmut] section, written here with the
# module to mutate and its tests). It prints, per module, the mutants, the killed, the
# survivors accepted in scripts/mutation_accepted.txt (equivalent or message-only mutants,
# each with a one-line reason) and the score after them; then every survivor NOT accepted
# and every mutant that reaches no test: those are the real gaps.
# Needs mutmut: .venv/bin/pip install -e '.[mutation]' (pinned there).
# Environment: MUTATION_JOBS (parallel children, default 1), MUTATION_NICE (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python

# name | module file | tests that exercise it (space separated)
MODULES=(
  "numerals|mediation/documents/numerals.py|tests/documents/test_numerals.py tests/documents/test_numerals_rules.py"
  "workdays|mediation/workdays.py|tests/unit/test_workdays.py tests/unit/test_workdays_rules.py"
  "validation|mediation/validation.py|tests/unit/test_validation.py tests/unit/test_validation_rules.py"
  "checks|mediation/documents/checks.py|tests/documents/test_checks.py tests/documents/test_checks_rules.py"
  "audit_chain|mediation/audit_chain.py|tests/unit/test_audit_chain_rules.py"
  "audit|mediation/services/audit.py|tests/db/test_audit.py tests/db/test_audit_chain.py tests/db/test_audit_rules.py"
  "workflow|mediation/workflow.py|tests/unit/test_workflow.py tests/unit/test_workflow_rules.py"
  "access|mediation/services/access.py|tests/db/test_desk_isolation.py tests/db/test_access_rules.py"
  "periods|mediation/statistics/periods.py|tests/db/test_statistics.py tests/db/test_reports.py tests/db/test_desk_isolation.py tests/unit/test_periods_rules.py"
)

AT=""
if [[ "${1:-}" == "--at" ]]; then
  AT=$(git rev-parse --short "$2"); shift 2
fi
if [[ "${1:-}" == "--list" ]]; then
  for m in "${MODULES[@]}"; do echo "${m%%|*}"; done
  exit 0
fi
"$PY" -c "import mutmut" 2>/dev/null || { echo "mutmut is not installed: .venv/bin/pip install -e '.[mutation]'" >&2; exit 2; }

wanted=("$@")
export QT_QPA_PLATFORM=offscreen MEDIATION_FAST_HASH=1
export MEDIATION_DATA_DIR="$(mktemp -d /tmp/mediation-mutation-data.XXXXXX)"
trap 'rm -rf "$MEDIATION_DATA_DIR"' EXIT

run_one() {
  local name=$1 file=$2 tests=$3
  local work=$ROOT/.mutation/$name${AT:+@$AT}
  rm -rf "$work"
  mkdir -p "$work"
  if [[ -n $AT ]]; then
    git archive "$AT" | tar -x -C "$work"
  else
    # The tree as it is in the worktree (tracked and new files), without the venv or .git.
    git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work" 2>/dev/null || true
  fi
  local existing=()
  for t in $tests; do [[ -f $work/$t ]] && existing+=("$t"); done
  {
    echo
    echo "[mutmut]"
    echo "source_paths = mediation"
    echo "only_mutate = $file"
    # test_add_workdays_is_fast times itself: under mutmut on a loaded machine it fails on clean code.
    echo "pytest_add_cli_args = -p no:cacheprovider -q -x --hypothesis-seed=0 --deselect tests/unit/test_workdays.py::test_add_workdays_is_fast"
    # A mutant that loops runs into mutmut's timeout (a multiple of the clean run's time):
    # 15x (its default) spends minutes per such mutant on a loaded machine.
    echo "timeout_multiplier = 4.0"
    echo "pytest_add_cli_args_test_selection ="
    for t in "${existing[@]}"; do echo "    $t"; done
  } > "$work/setup.cfg.mutmut"
  # pyproject.toml has no [tool.mutmut], so mutmut reads setup.cfg: replace its section.
  sed '/^\[mutmut\]/,$d' "$work/setup.cfg" 2>/dev/null > "$work/setup.cfg.base" || true
  cat "$work/setup.cfg.base" "$work/setup.cfg.mutmut" > "$work/setup.cfg"
  echo "== $name${AT:+ at $AT}: mutating $file against ${existing[*]}"
  (cd "$work" && nice -n "${MUTATION_NICE:-10}" "$PY" -m mutmut run --max-children "${MUTATION_JOBS:-1}" > mutmut.log 2>&1) || {
    echo "mutmut failed for $name (see $work/mutmut.log):" >&2; tail -20 "$work/mutmut.log" >&2; return 1; }
  "$PY" "$ROOT/scripts/mutation_score.py" "$work" "$file" "$name" "$ROOT/scripts/mutation_accepted.txt"
}

status=0
for m in "${MODULES[@]}"; do
  IFS='|' read -r name file tests <<< "$m"
  if (( ${#wanted[@]} )); then
    hit=0; for w in "${wanted[@]}"; do [[ $w == "$name" ]] && hit=1; done
    (( hit )) || continue
  fi
  run_one "$name" "$file" "$tests" || status=1
done
exit $status
