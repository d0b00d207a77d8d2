#!/usr/bin/env bash
# The kernel choice measured side by side in one run: what a machine whose OpenBLAS falls back to
# its generic Prescott kernel got before dmf chose its kernel (OPENBLAS_CORETYPE=Prescott, the
# fallback kept) against what it gets now (the same fallback, replaced by dmf: DMF_KERNEL=auto
# makes dmf treat the named Prescott as OpenBLAS's detection). Run from the repository root after
# `swift build -c release --product dmf`. Reports medians of 3 alternating runs and their ratio.
set -euo pipefail
dmf=${DMF:-.build/release/dmf}
export OPENBLAS_NUM_THREADS=1
problem=$(mktemp --suffix=.json)
trap 'rm -f "$problem"' EXIT
# d = 100, rank 5 target, 20 % of the entries observed, depth 3, GD for $STEPS (default 6000) steps.
python3 - "$problem" "${STEPS:-6000}" <<'PY'
import json, random, sys
rng = random.Random(1)
d, r = 100, 5
u = [[rng.gauss(0, 1) for _ in range(r)] for _ in range(d)]
v = [[rng.gauss(0, 1) for _ in range(r)] for _ in range(d)]
target = [[sum(u[i][k] * v[j][k] for k in range(r)) / r for j in range(d)] for i in range(d)]
entries = sorted(rng.sample([(i, j) for j in range(d) for i in range(d)], d * d // 5), key=lambda e: (e[1], e[0]))
json.dump({"target": target, "observations": {"kind": "entries", "entries": [list(e) for e in entries]},
           "model": {"depth": 3}, "initialization": {"kind": "gaussian", "scale": 1e-3, "seed": 1},
           "loss": "mean", "optimizer": {"kind": "gd", "learningRate": 0.5},
           "stop": {"maxSteps": int(sys.argv[2])}, "record": {"every": 1000}}, open(sys.argv[1], "w"))
PY
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'; }
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
for workload in ${WORKLOADS:-train verify}; do
  before=() after=()
  for _ in 1 2 3; do
    if [ "$workload" = train ]; then set -- "$dmf" train "$problem"; else set -- "$dmf" verify --seed 0x2a --progress off; fi
    before+=("$(OPENBLAS_CORETYPE=Prescott DMF_KERNEL=keep seconds "$@")")
    after+=("$(OPENBLAS_CORETYPE=Prescott DMF_KERNEL=auto seconds "$@")")
  done
  b=$(median "${before[@]}") a=$(median "${after[@]}")
  chosen=$(OPENBLAS_CORETYPE=Prescott DMF_KERNEL=auto "$dmf" kernel)
  printf '%-8s Prescott %6.2f s   %-10s %6.2f s   speed-up %.2fx\n' "$workload" "$b" "$chosen" "$a" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
done
