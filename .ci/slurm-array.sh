#!/usr/bin/env bash
# Runs the README's Slurm job array for real: starts a one-node Slurm cluster on localhost from
# Debian's packages (munge, slurmctld, slurmd; installed here when missing and allowed), submits the
# README's array script and its afterany merge job exactly as the README writes them — with the
# profile, the claim selection and N made small enough for one 2-core node (the substitutions are
# printed) — and checks that the merged results equal an unsharded dmf verify with the same seed.
#
#   bash .ci/slurm-array.sh            # from the repository root, as root
#   SLURM_ARRAY_SHARDS=4 SLURM_ARRAY_CLAIMS="R1 A3 G1" bash .ci/slurm-array.sh
#   DMF_BINARY=.build/debug/dmf bash .ci/slurm-array.sh   # use that build instead of building release
#
# Exit 0: merged == unsharded; 1: they differ or a job failed; 77: no cluster can be started here
# (not root, or the packages are missing and cannot be installed) — the test that calls it skips then.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
shards="${SLURM_ARRAY_SHARDS:-4}"
claims="${SLURM_ARRAY_CLAIMS:-R1 R4 A3 A4 C2 D1}"
seed="0x2a"

if [ "$(id -u)" -ne 0 ]; then echo "slurm-array: needs root to start munged, slurmctld and slurmd"; exit 77; fi
if ! command -v slurmctld > /dev/null || ! command -v slurmd > /dev/null || ! command -v munged > /dev/null; then
  if [ "${SLURM_ARRAY_INSTALL:-1}" = 1 ] && command -v apt-get > /dev/null; then
    echo "slurm-array: installing munge, slurmctld, slurmd, slurm-client"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq > /dev/null && apt-get install -y -qq munge slurmctld slurmd slurm-client > /dev/null || { echo "slurm-array: cannot install Slurm"; exit 77; }
  else
    echo "slurm-array: Slurm is not installed"; exit 77
  fi
fi

work="$(mktemp -d /tmp/dmf-slurm.XXXXXX)"
conf="$work/slurm.conf"
cleanup() {
  [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2> /dev/null || true
  [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2> /dev/null || true
  [ -f "$work/munged.pid" ] && kill "$(cat "$work/munged.pid")" 2> /dev/null || true
  sleep 1
  # Any daemon of this cluster still alive (one that had not written its pid file yet, or ignored TERM).
  pkill -f -- "$work/" 2> /dev/null || true
  sleep 1
  pkill -9 -f -- "$work/" 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# munge: a key of our own and a daemon on its own socket.
mkdir -p "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
# The daemons get no descriptor of the caller's (a test reading this script's output through a pipe
# would otherwise wait for them to exit).
munged --key-file="$work/munge/munge.key" --socket="$work/munge/socket" --pid-file="$work/munged.pid" \
  --log-file="$work/munge/log" --seed-file="$work/munge/seed" --force < /dev/null > "$work/munged.out" 2>&1

cpus="$(nproc)"
memory="$(awk '/MemTotal/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)"
mkdir -p "$work/state" "$work/spool" "$work/logs"
cat > "$conf" <<EOF
ClusterName=dmf
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
ReturnToService=2
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldPort=16817
SlurmdPort=16818
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=localhost CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=dmf Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"
slurmctld -f "$conf" < /dev/null > "$work/slurmctld.out" 2>&1
slurmd -f "$conf" < /dev/null > "$work/slurmd.out" 2>&1
for _ in $(seq 1 60); do
  if sinfo -h -o '%t' 2> /dev/null | grep -q idle; then break; fi
  sleep 1
done
if ! sinfo -h -o '%t' | grep -q idle; then
  echo "slurm-array: the node did not come up:"; sinfo || true; tail -5 "$work/slurmctld.log" "$work/slurmd.log" || true
  exit 77
fi
echo "slurm-array: one-node cluster up ($(sinfo -h -o '%c CPUs, %m MB, state %t'))"

# The README's array script and its submission, as written there, made small for one node; they run
# .build/release/dmf from the submission directory, which here holds that build (or DMF_BINARY).
run="$work/run"
mkdir -p "$run/.build/release"
if [ -n "${DMF_BINARY:-}" ]; then
  ln -s "$(cd "$(dirname "$DMF_BINARY")" && pwd)/$(basename "$DMF_BINARY")" "$run/.build/release/dmf"
else
  swift build -c release --product dmf > /dev/null
  ln -s "$root/.build/release/dmf" "$run/.build/release/dmf"
fi
python3 - "$root/README.md" "$run" "$shards" "$claims" <<'PY'
import re, sys
readme, run, shards, claims = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4].split()
section = readme[readme.index("**Slurm job array.**"):readme.index("**Kubernetes Indexed Job.**")]
blocks = re.findall(r"```sh\n(.*?)```", section, re.S)
script, submit = blocks[0], blocks[1]
selection = " ".join(f"--claim {c}" for c in claims)
changes = [("--array=1-16", f"--array=1-{shards}"), ("--cpus-per-task=2", "--cpus-per-task=1"),
           ("--time=06:00:00", "--time=00:30:00"), ("--profile full", f"--profile quick {selection}"),
           ("/16\"", f"/{shards}\""), ("of-16", f"of-{shards}")]
for old, new in changes:
    if old not in script and old not in submit:
        sys.exit(f"slurm-array: the README's Slurm block no longer contains {old!r}")
    script, submit = script.replace(old, new), submit.replace(old, new)
    print(f"slurm-array: README block: {old} -> {new}")
open(f"{run}/shards.sbatch", "w").write(script)
open(f"{run}/submit.sh", "w").write("set -euo pipefail\n" + submit + "echo \"$job\" > array.jobid\n")
PY
cd "$run"
mkdir -p logs
bash submit.sh > submit.out
array="$(cat array.jobid)"
echo "slurm-array: submitted array $array and its afterany merge"
for _ in $(seq 1 1800); do
  if [ -z "$(squeue -h -o '%i' 2> /dev/null)" ]; then break; fi
  sleep 1
done
if [ -n "$(squeue -h -o '%i')" ]; then echo "slurm-array: jobs still queued after 30 minutes"; squeue; exit 1; fi
status=0
for k in $(seq 1 "$shards"); do
  [ -s "shards/shard-$k-of-$shards.jsonl" ] || { echo "slurm-array: shard $k wrote nothing"; cat "logs/shard-$k.log" || true; status=1; }
done
[ -s report/results.jsonl ] || { echo "slurm-array: the merge job wrote no report/results.jsonl"; cat slurm-*.out 2> /dev/null || true; exit 1; }

# The unsharded run, on the same build, seed and selection.
selection=""
for c in $claims; do selection="$selection --claim $c"; done
# shellcheck disable=SC2086
OPENBLAS_NUM_THREADS=1 .build/release/dmf verify --profile quick --seed "$seed" $selection --report whole --progress off > /dev/null || true
python3 - report/results.jsonl whole/results.jsonl <<'PY' || status=1
import json, sys
def decisions(path):
    out = {}
    for line in open(path):
        if not line.strip(): continue
        d = json.loads(line); r = d["result"]; s = r.get("statistics") or {}
        out[d["id"]] = [d["verdict"], d["cases"], d.get("pHat"), d["measured"], d.get("token"), d["runSeed"],
                        r["casesDiscarded"], s.get("logLikelihoodRatio"), s.get("failingTokens"),
                        json.dumps(r["measurements"], sort_keys=True)]
    return out
merged, whole = decisions(sys.argv[1]), decisions(sys.argv[2])
if merged.keys() != whole.keys():
    sys.exit(f"slurm-array: claims differ: merged {sorted(merged)} vs unsharded {sorted(whole)}")
bad = [k for k in merged if merged[k] != whole[k]]
for k in bad: print(f"slurm-array: {k}: merged {merged[k][:6]} vs unsharded {whole[k][:6]}")
if bad: sys.exit(1)
print(f"slurm-array: merged results of {len(merged)} claims equal the unsharded run's: " + ", ".join(f"{k} {v[0]}" for k, v in sorted(merged.items())))
PY
exit $status
