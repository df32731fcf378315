#!/bin/bash
# A/B: writeback off (mA) against on (mB), alternated, quick suite workloads that touch metadata
cd /tmp/wb
for round in 1 2; do
  for t in A B; do
    echo "== round $round target $t load $(cut -d' ' -f1-3 /proc/loadavg) $(date +%T)"
    /work/main/cairn bench run --quick --target /tmp/wb/m$t --label wb$t --workloads small-files,directories,git --out /tmp/wb/r$round-$t.json 2>&1 | grep -E "create|stat|read|delete|mkdir|rename|rmdir|git" | head -12
  done
done
