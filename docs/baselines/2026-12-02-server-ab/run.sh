#!/bin/bash
# A/B: cairn local up with combined roles (default) against --separate-roles, quick suite, alternated, one session.
cd /work/wt/server
OUT=/tmp/srv/ab
for round in 1 2; do
  for v in combined separate; do
    D=$OUT/$v-data
    rm -rf $D
    flag=""; [ $v = separate ] && flag="--separate-roles"
    echo "$(date -u +%T) $v-$round up; $(uptime)" >> $OUT/log.txt
    ./cairn local up --dir $D $flag > $OUT/$v-up-$round.log 2>&1 || { echo "up failed $v-$round" >> $OUT/log.txt; ./cairn local down --dir $D >/dev/null 2>&1; continue; }
    sleep 10
    { echo "== $v-$round after up, $(uptime)"; for f in $D/*.pid; do p=$(cat $f); n=$(basename $f .pid); echo "$n $(ps -o pid=,rss=,nlwp=,pcpu= -p $p)"; done; } >> $OUT/ps.txt
    echo "$(date -u +%T) $v-$round bench start; $(uptime)" >> $OUT/log.txt
    ./cairn bench run --target $D/mnt --quick --label $v-$round --out $OUT/$v-$round.json > $OUT/$v-bench-$round.log 2>&1
    echo "$(date -u +%T) $v-$round bench end; $(uptime)" >> $OUT/log.txt
    { echo "== $v-$round after bench, $(uptime)"; for f in $D/*.pid; do p=$(cat $f); n=$(basename $f .pid); echo "$n $(ps -o pid=,rss=,nlwp=,pcpu= -p $p)"; done; } >> $OUT/ps.txt
    ./cairn local down --dir $D > /dev/null 2>&1
  done
done
echo "$(date -u +%T) DONE" >> $OUT/log.txt
