#!/usr/bin/env bash
# usage: expect_cli_equivalence.sh MPIEXEC NP SIGNOPT CONFIG
# Runs CONFIG in-process and under mpirun with NP ranks (one per worker) and requires
# bit-identical traces (every column but the last, the run's own seconds) and summaries.
set -euo pipefail
mpiexec=$1 np=$2 cli=$3 config=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$cli" run "$config" --out "$dir/sim" --workers "$np" --quiet
"$mpiexec" --oversubscribe -np "$np" "$cli" run "$config" --out "$dir/mpi" --backend mpi \
  --workers "$np" --quiet
strip() { sed 's/,[^,]*$//' "$1"; }
if ! diff <(strip "$dir/sim/traces.csv") <(strip "$dir/mpi/traces.csv") >/dev/null; then
  echo "traces differ between the simulation and MPI with $np ranks" >&2
  diff <(strip "$dir/sim/traces.csv") <(strip "$dir/mpi/traces.csv") | head -5 >&2
  exit 1
fi
cmp "$dir/sim/summary.csv" "$dir/mpi/summary.csv"
rows=$(wc -l < "$dir/mpi/traces.csv")
echo "identical traces ($rows rows) with $np ranks"
