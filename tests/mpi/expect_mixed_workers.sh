#!/usr/bin/env bash
# usage: expect_mixed_workers.sh MPIEXEC SIGNOPT CONFIG
# CONFIG has methods at M = 1, 2, 3, 4 and a single-process one. Checks that
#  - under mpirun -np 4 --backend mpi every method runs at its own M, with traces bit-identical
#    to the in-process simulation (every column but the last, the run's own seconds), the same
#    summary.csv, and the manifest saying how each method ran;
#  - a launch with too few ranks is refused before any run, naming the methods and the -np needed.
set -euo pipefail
mpiexec=$1 cli=$2 config=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" run "$config" --out "$dir/sim" --quiet --no-plots
"$mpiexec" --oversubscribe -np 4 "$cli" run "$config" --out "$dir/mpi" --backend mpi --quiet --no-plots
strip() { sed 's/,[^,]*$//' "$1"; }
if ! diff <(strip "$dir/sim/traces.csv") <(strip "$dir/mpi/traces.csv") >/dev/null; then
  echo "FAIL: traces differ between the simulation and the mixed-M MPI launch" >&2
  diff <(strip "$dir/sim/traces.csv") <(strip "$dir/mpi/traces.csv") | head -5 >&2
  exit 1
fi
cmp "$dir/sim/summary.csv" "$dir/mpi/summary.csv"
for expect in '"execution": "MPI: 4 rank(s), world ranks 0..3 of a launch of 4"' \
              '"execution": "MPI: 3 rank(s), world ranks 0..2 of a launch of 4"' \
              '"execution": "MPI: 2 rank(s), world ranks 0..1 of a launch of 4"' \
              '"execution": "MPI: 1 rank(s), world ranks 0..0 of a launch of 4"' \
              '"execution": "single process"'; do
  grep -qF "$expect" "$dir/mpi/manifest.json" || { echo "FAIL: manifest lacks $expect" >&2; exit 1; }
done
grep -qF '"execution": "simulated: 4 worker(s) in one process"' "$dir/sim/manifest.json" ||
  { echo "FAIL: the simulation's manifest does not say it simulated M = 4" >&2; exit 1; }
grep -qF 'ran as: MPI: 4 rank(s)' "$dir/mpi/summary.md" || { echo "FAIL: summary.md does not say how methods ran" >&2; exit 1; }
# Too few ranks: refused before any run, naming the methods and the launch they need.
set +e
err=$(timeout 120 "$mpiexec" --oversubscribe -np 2 "$cli" run "$config" --out "$dir/small" --backend mpi --quiet 2>&1)
status=$?
set -e
if [ "$status" -eq 0 ] || [ "$status" -eq 124 ]; then echo "FAIL: a 2-rank launch of M = 4 methods exited $status" >&2; exit 1; fi
for expect in "too few for: 'majority vote M=4' (M = 4), 'EF-SignSGD M=3' (M = 3)" "mpirun -np 4"; do
  printf '%s\n' "$err" | grep -qF "$expect" || { echo "FAIL: the refusal lacks: $expect" >&2; printf '%s\n' "$err" >&2; exit 1; }
done
if [ -e "$dir/small/traces.csv" ]; then echo "FAIL: the refused launch wrote traces" >&2; exit 1; fi
echo "PASS: mixed-M launch identical to the simulation ($(wc -l < "$dir/mpi/traces.csv") rows); too-small launch refused"
