#!/bin/bash
# A/B continued: separate-1, combined-2, separate-2; `local up` again once if it only timed out waiting (a loaded machine).
cd /work/wt/server
OUT=/tmp/srv/ab
for rv in separate-1 combined-2 separate-2; do
  v=${rv%-*}; round=${rv#*-}
  D=$OUT/$v-data
  rm -rf $D
  flag=""; [ $v = separate ] && flag="--separate-roles"
  echo "$(date -u +%T) $v-$round up; $(uptime)" >> $OUT/log.txt
  if ! ./cairn local up --dir $D $flag > $OUT/$v-up-$round.log 2>&1; then
    echo "$(date -u +%T) $v-$round up again: $(tail -1 $OUT/$v-up-$round.log)" >> $OUT/log.txt
    ./cairn local up --dir $D > $OUT/$v-up-$round-again.log 2>&1 || { echo "up failed $v-$round" >> $OUT/log.txt; ./cairn local down --dir $D >/dev/null 2>&1; continue; }
  fi
  sleep 10
  { echo "== $v-$round after up, $(uptime)"; for f in $D/*.pid; do p=$(cat $f); n=$(basename $f .pid); echo "$n $(ps -o pid=,rss=,nlwp=,pcpu= -p $p)"; done; } >> $OUT/ps.txt
  echo "$(date -u +%T) $v-$round bench start; $(uptime)" >> $OUT/log.txt
  ./cairn bench run --target $D/mnt --quick --label $v-$round --out $OUT/$v-$round.json > $OUT/$v-bench-$round.log 2>&1
  echo "$(date -u +%T) $v-$round bench end; $(uptime)" >> $OUT/log.txt
  { echo "== $v-$round after bench, $(uptime)"; for f in $D/*.pid; do p=$(cat $f); n=$(basename $f .pid); echo "$n $(ps -o pid=,rss=,nlwp=,pcpu= -p $p)"; done; } >> $OUT/ps.txt
  ./cairn local down --dir $D > /dev/null 2>&1
done
echo "$(date -u +%T) DONE" >> $OUT/log.txt
