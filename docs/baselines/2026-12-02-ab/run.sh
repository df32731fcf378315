#!/bin/bash
# A/B: Cairn quick suite at 286b227 (old) and HEAD (new), alternated, one session.
cd /tmp/ab
for round in 1 2; do
  for v in old new; do
    (cd $v && ./cairn local up --dir /tmp/ab/$v-data > /tmp/ab/$v-up-$round.log 2>&1) || { echo "up failed $v"; continue; }
    (cd $v && ./cairn bench run --target /tmp/ab/$v-data/mnt --quick --label $v-$round --out /tmp/ab/$v-$round.json > /tmp/ab/$v-bench-$round.log 2>&1)
    (cd $v && ./cairn local down --dir /tmp/ab/$v-data > /dev/null 2>&1)
    rm -rf /tmp/ab/$v-data
  done
done
echo DONE
