#!/bin/bash
# usage: ab.sh BUILD(A|B) RUNS  -> fdatasync and seqwrite figures on a fresh local cluster
x=$1; runs=${2:-3}; d=/tmp/abrun$x; C=/tmp/ab$x/cairn
$C local down --dir $d/data >/dev/null 2>&1; rm -rf $d; mkdir -p $d
$C local up --dir $d/data --mount $d/mnt >/dev/null 2>&1 || { echo up failed; exit 1; }
M=$d/mnt
fio --name=warm --directory=$M --rw=write --bs=1M --size=1G --end_fsync=1 >/dev/null; rm -f $M/warm*
fio --name=warms --directory=$M --rw=write --bs=4k --fdatasync=1 --size=256m --runtime=20 --time_based >/dev/null; rm -f $M/warms*
for i in $(seq $runs); do
  fio --name=sync$x --directory=$M --rw=write --bs=4k --fdatasync=1 --size=256m --runtime=10 --time_based --output-format=json | python3 /tmp/fiojson.py; rm -f $M/sync*
  fio --name=seq$x --directory=$M --rw=write --bs=1M --size=1G --end_fsync=1 --output-format=json | python3 /tmp/fiojson.py; rm -f $M/seq*
done
grep -l "Picked up JDK_JAVA_OPTIONS" $d/data/*.log 2>/dev/null | wc -l | sed "s/^/logs with options: /"; $C local down --dir $d/data >/dev/null 2>&1; rm -rf $d
