#!/usr/bin/env python3
"""Writes COUNT request bodies of BATCH bus legs each for wrk/ingest.lua (BODIES=DIR):
DIR/body-0.json … with event ids PREFIX-n never repeated. Used by serve-load.sh."""
import os
import sys

out, count, batch, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
os.makedirs(out, exist_ok=True)
n = 0
for i in range(count):
    parts = []
    for _ in range(batch):
        day = 1 + n % 28
        parts.append('{"event_id":"%s-%d","rider_id":"r%d","mode":"bus","start_time":"2024-05-%02dT07:00:00+08:00",'
                     '"end_time":"2024-05-%02dT07:20:00+08:00","distance_m":%d}' % (prefix, n, n % 50000, day, day, 2000 + n % 3000))
        n += 1
    with open(os.path.join(out, "body-%d.json" % i), "w") as f:
        f.write('{"trips":[' + ",".join(parts) + "]}")
