#!/bin/sh
# Faults on one rank of `signopt run --backend mpi` (issue 20):
#   interrupt: SIGINT to one rank must stop every rank at the same step, with the
#              "interrupted ... --resume" message and exit status 2, never an MPI error or a hang;
#   stop:      SIGSTOP on one rank must end the job with the "no answer" error within the
#              --mpi-timeout (3 s here), never hang.
# usage: expect_mpi_faults.sh MPIEXEC PROGRAM CONFIG interrupt|stop
mpiexec=$1 program=$2 config=$3 mode=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
timeout 120 "$mpiexec" --oversubscribe -np 2 "$program" run "$config" --backend mpi --out "$dir/out" \
  --no-plots --quiet --mpi-timeout 3 >"$dir/log" 2>&1 &
job=$!
# The ranks are the children of mpirun (itself the child of timeout).
ranks=""
for i in $(seq 1 100); do
  sleep 0.2
  launcher=$(pgrep -P "$job" | head -n 1)
  [ -n "$launcher" ] && ranks=$(pgrep -P "$launcher" | tr '\n' ' ')
  [ "$(echo $ranks | wc -w)" -ge 2 ] && break
done
[ "$(echo $ranks | wc -w)" -ge 2 ] || { echo "FAIL: did not find the two ranks"; cat "$dir/log"; exit 1; }
sleep 2  # well inside the step loop
victim=$(echo $ranks | cut -d' ' -f2)
case "$mode" in
  interrupt) kill -INT "$victim" ;;
  stop) kill -STOP "$victim" ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
start=$(date +%s)
wait "$job"
status=$?
elapsed=$(( $(date +%s) - start ))
for r in $ranks; do kill -KILL "$r" 2>/dev/null; done  # a stopped rank mpirun could not end
cat "$dir/log"
if [ "$status" -eq 124 ]; then echo "FAIL: the job hung (killed after 120 s)"; exit 1; fi
if grep -q "MPI_ERR" "$dir/log"; then echo "FAIL: an MPI error instead of a coordinated stop"; exit 1; fi
if [ "$status" -eq 0 ]; then echo "FAIL: the job exited 0"; exit 1; fi
case "$mode" in
  interrupt)
    grep -q "interrupted: finished runs are kept in .*; continue with --resume" "$dir/log" ||
      { echo "FAIL: no resume message"; exit 1; }
    [ "$status" -eq 2 ] || { echo "FAIL: status $status, expected 2"; exit 1; } ;;
  stop)
    grep -q "no answer from the other MPI ranks" "$dir/log" || { echo "FAIL: no timeout message"; exit 1; }
    [ "$elapsed" -le 30 ] || { echo "FAIL: took ${elapsed}s to end"; exit 1; } ;;
esac
echo "PASS: $mode on one rank ended the job in ${elapsed}s with status $status"
