#!/bin/sh
# Runs the MPI test program in "mismatch" mode (rank r uses dimension 10 + r) or
# "mismatch-inputs" mode (the same d, a different inputs digest per rank) and checks that the
# job ends, quickly, with a non-zero status and the setup error printed by every rank.
# usage: expect_setup_mismatch.sh MPIEXEC NP PROGRAM [mismatch|mismatch-inputs]
mpiexec=$1 np=$2 program=$3 mode=${4:-mismatch}
output=$(timeout 60 "$mpiexec" --oversubscribe -np "$np" "$program" "$mode" 2>&1)
status=$?
printf '%s\n' "$output"
if [ "$status" -eq 124 ]; then echo "FAIL: the job hung (killed after 60 s)"; exit 1; fi
if [ "$status" -eq 0 ]; then echo "FAIL: the job exited 0 despite mismatched dimensions"; exit 1; fi
rank=0
while [ "$rank" -lt "$np" ]; do
  if ! printf '%s\n' "$output" | grep -q "rank $rank: error: MPI ranks disagree on the distributed setup"; then
    echo "FAIL: rank $rank did not report the setup mismatch"; exit 1
  fi
  rank=$((rank + 1))
done
echo "PASS: every rank reported the mismatch and the job exited with status $status"
