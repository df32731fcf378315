#!/bin/bash
# A/B on one build: inline-size 0 (off) against the default 64KiB, alternated, one session.
cd "$(dirname "$0")/../../.."  # the source tree (the runs used a copy of it in /tmp/ab-inline/src)
for round in 1 2; do
  for v in off on; do
    d=/tmp/ab-inline/$v-data
    ok=0
    for try in 1 2 3 4 5; do  # a loaded machine: the JVMs may take longer than local up waits; ask again
      if ./cairn local up --dir $d --no-mount >> /tmp/ab-inline/$v-up-$round.log 2>&1; then ok=1; break; fi
    done
    [ $ok = 1 ] || { echo "up failed $v-$round" >> /tmp/ab-inline/loads.txt; ./cairn local down --dir $d > /dev/null 2>&1; rm -rf $d; continue; }
    meta=$(grep -o -- '--meta [^ ]*' /tmp/ab-inline/$v-up-$round.log | head -1 | cut -d' ' -f2)
    if [ $v = off ]; then ./cairn volume set vol0 inline-size 0 --meta $meta >> /tmp/ab-inline/$v-up-$round.log 2>&1; fi
    ./cairn volume get vol0 inline-size --meta $meta >> /tmp/ab-inline/$v-up-$round.log 2>&1
    ./cairn local up --dir $d >> /tmp/ab-inline/$v-up-$round.log 2>&1 || { echo "mount failed $v-$round" >> /tmp/ab-inline/loads.txt; ./cairn local down --dir $d > /dev/null 2>&1; rm -rf $d; continue; }
    echo "$v-$round start $(date -u +%T) load: $(uptime | sed 's/.*average: //')" >> /tmp/ab-inline/loads.txt
    ./cairn bench run --target $d/mnt --quick --label inline-$v-$round --out /tmp/ab-inline/$v-$round.json > /tmp/ab-inline/$v-bench-$round.log 2>&1
    echo "$v-$round end $(date -u +%T) load: $(uptime | sed 's/.*average: //')" >> /tmp/ab-inline/loads.txt
    ./cairn local down --dir $d > /dev/null 2>&1
    rm -rf $d
  done
done
echo DONE >> /tmp/ab-inline/loads.txt
