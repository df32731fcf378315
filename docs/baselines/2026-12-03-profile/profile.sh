#!/usr/bin/env bash
# Where a small-file create goes on 'cairn local up' with the default mount options (write-back
# on): CPU seconds per process (from /proc, user+system) over one 'cairn bench run --workloads
# small-files' (5,000 files), and a JFR recording of every Cairn process started with jcmd.
# Usage (root, from the repository): docs/baselines/2026-12-03-profile/profile.sh OUTDIR
set -euo pipefail
out="$(mkdir -p "$1" && cd "$1" && pwd)"
d="$(mktemp -d /var/tmp/cairn-prof.XXXXXX)"
trap './cairn local down --dir "$d/data" >/dev/null 2>&1 || true; rm -rf "$d"' EXIT
./cairn local up --dir "$d/data" --mount "$d/mnt" >"$out/local-up.txt" 2>&1
pids=$(awk '$2 ~ /^(server|mount)$/ {print $1":"$NF}' <(./cairn local status --dir "$d/data" 2>/dev/null) || true)
[ -n "$pids" ] || pids=$(grep -E '^\s+(server[0-9]|mount)\s' "$out/local-up.txt" | awk '{print $1":"$NF}')
cpu() {  # pid -> clock ticks of user+system time
  awk '{print $14+$15}' "/proc/$1/stat"
}
jcmd=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/jcmd
declare -A before
for np in $pids; do
  p=${np#*:}
  before[$p]=$(cpu "$p")
  $jcmd "$p" JFR.start name=prof settings=profile >/dev/null
done
t0=$(date +%s.%N)
./cairn bench run --target "$d/mnt" --label cairn --workloads small-files --out "$out/cairn.json" >"$out/bench.txt" 2>&1
t1=$(date +%s.%N)
tck=$(getconf CLK_TCK)
{
  echo "wall: $(echo "$t1 - $t0" | bc) s (the suite's whole small-files workload, 5,000 files: create, stat, read, delete)"
  for np in $pids; do
    n=${np%%:*} p=${np#*:}
    echo "$n (pid $p): $(echo "scale=1; ($(cpu "$p") - ${before[$p]}) / $tck" | bc) CPU s"
    $jcmd "$p" JFR.dump name=prof filename="$out/$n.jfr" >/dev/null
  done
} | tee "$out/cpu.txt"
grep -E "small-files" "$out/bench.txt" | tee -a "$out/cpu.txt"
