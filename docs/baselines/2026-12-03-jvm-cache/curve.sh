#!/bin/bash
# usage: curve.sh BUILD(A|B) N  -> fdatasync IOPS of N consecutive 8 s runs on a fresh local cluster, then one seqwrite
x=$1; n=${2:-8}; d=/tmp/curve$x; C=/tmp/ab$x/cairn
$C local down --dir $d/data >/dev/null 2>&1; rm -rf $d; mkdir -p $d
$C local up --dir $d/data --mount $d/mnt >/dev/null 2>&1 || { echo up failed; exit 1; }
M=$d/mnt; out=""
for i in $(seq $n); do
  r=$(fio --name=c --directory=$M --rw=write --bs=4k --fdatasync=1 --size=256m --runtime=8 --time_based --output-format=json | python3 /tmp/fiojson.py | awk '{print $4}'); rm -f $M/c*
  out="$out $r"
done
echo "fdatasync IOPS per 8 s: $out"
for i in 1 2; do fio --name=s --directory=$M --rw=write --bs=1M --size=1G --end_fsync=1 --output-format=json | python3 /tmp/fiojson.py; rm -f $M/s*; done
$C local down --dir $d/data >/dev/null 2>&1; rm -rf $d
