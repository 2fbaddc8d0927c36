#!/bin/sh
# A host dying, as one rank sees it: SIGKILL to one process of `mpirun -np 3 signopt run
# --backend mpi` while rank 0 is writing finished runs.
#   worker: kill rank 1 (a rank that writes nothing);
#   writer: kill rank 0 (the rank that writes every output file).
# Checks: every rank has exited within 30 s of the kill (mpirun ends the job; the
# --mpi-timeout watchdog is the backstop if it did not), the job reports which rank died and
# exits non-zero, and every output file left is complete: each JSON parses, each CSV has a
# header and rows of the header's width ending in a newline. The only other files allowed are
# temporary files (NAME.tmp.PID, the write of the killed rank 0 in progress), which the next run
# in that directory deletes.
# usage: expect_rank_killed.sh MPIEXEC PROGRAM CONFIG worker|writer
mpiexec=$1 program=$2 config=$3 mode=$4
case "$mode" in
  worker) victim_rank=1 ;;
  writer) victim_rank=0 ;;
  *) echo "unknown mode $mode"; exit 2 ;;
esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
timeout 150 "$mpiexec" --oversubscribe -np 3 "$program" run "$config" --backend mpi --out "$dir/out" \
  --no-plots --quiet --mpi-timeout 10 >"$dir/log" 2>&1 &
job=$!
# The ranks are the children of mpirun (itself the child of timeout); wait until rank 0 has
# written some runs, so that the kill lands while runs are being written.
ranks=""
for i in $(seq 1 1200); do
  sleep 0.1
  launcher=$(pgrep -P "$job" | head -n 1)
  [ -n "$launcher" ] && ranks=$(pgrep -P "$launcher" | tr '\n' ' ')
  [ "$(echo $ranks | wc -w)" -ge 3 ] && [ "$(ls "$dir/out/runs" 2>/dev/null | wc -l)" -ge 8 ] && break
done
[ "$(echo $ranks | wc -w)" -ge 3 ] || { echo "FAIL: did not find the three ranks"; cat "$dir/log"; exit 1; }
[ "$(ls "$dir/out/runs" 2>/dev/null | wc -l)" -ge 8 ] || { echo "FAIL: no run was written"; cat "$dir/log"; exit 1; }
victim=""
for r in $ranks; do
  rank=$(tr '\0' '\n' <"/proc/$r/environ" 2>/dev/null | sed -n 's/^OMPI_COMM_WORLD_RANK=//p')
  [ "$rank" = "$victim_rank" ] && victim=$r
done
[ -n "$victim" ] || { echo "FAIL: no process with rank $victim_rank among $ranks"; exit 1; }
kill -KILL "$victim"
start=$(date +%s)
wait "$job"
status=$?
cat "$dir/log"
# mpirun can return while the other ranks are still shutting down: wait for every rank to be
# gone (or a zombie: exited, not yet reaped), for at most 30 s after the kill.
running() {
  alive=""
  for r in $ranks; do
    state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$r/status" 2>/dev/null)
    [ -n "$state" ] && [ "$state" != Z ] && alive="$alive $r"
  done
  [ -n "$alive" ]
}
while running && [ $(( $(date +%s) - start )) -le 30 ]; do sleep 0.2; done
elapsed=$(( $(date +%s) - start ))
if running; then
  for r in $alive; do kill -KILL "$r" 2>/dev/null; done
  echo "FAIL: ranks$alive still running ${elapsed}s after the kill"
  exit 1
fi
if [ "$status" -eq 124 ]; then echo "FAIL: the job hung (killed after 150 s)"; exit 1; fi
[ "$status" -ne 0 ] || { echo "FAIL: the job exited 0 after losing a rank"; exit 1; }
grep -q "rank $victim_rank .*exited on signal 9" "$dir/log" ||
  { echo "FAIL: the log does not say that rank $victim_rank died"; exit 1; }
python3 - "$dir/out" <<'PY' || exit 1
import json, os, re, sys
root = sys.argv[1]
bad, checked = [], 0
for base, _, files in os.walk(root):
    for name in files:
        path = os.path.join(base, name)
        if re.search(r"\.tmp\.\d+$", name):
            continue  # a write in progress when rank 0 died: never read, deleted by the next run
        with open(path, "rb") as f:
            data = f.read()
        if name.endswith(".json"):
            try:
                json.loads(data)
            except ValueError as e:
                bad.append(f"{path}: not valid JSON ({e})")
        elif name.endswith(".csv"):
            text = data.decode()
            lines = text.split("\n")
            if not text.endswith("\n") or len(lines) < 3:
                bad.append(f"{path}: no header and row, or no final newline")
            else:
                width = lines[0].count(",")
                rows = [l for l in lines[1:-1] if not l.startswith("#")]
                if any(r.count(",") != width for r in rows):
                    bad.append(f"{path}: a row is not as wide as the header")
        checked += 1
runs = [n for n in os.listdir(os.path.join(root, "runs")) if n.endswith(".json")]
print(f"checked {checked} files ({len(runs)} finished runs)")
if bad:
    print("FAIL: half-written files:\n  " + "\n  ".join(bad))
    sys.exit(1)
if not runs:
    print("FAIL: no finished run was kept")
    sys.exit(1)
PY
echo "PASS: killing rank $victim_rank ended every rank in ${elapsed}s with status $status; no half-written file"
