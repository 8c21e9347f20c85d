#!/usr/bin/env python3
"""Writes COUNT bus legs as a JSON Lines trip log (source "bench", riders r0…r49999, days 1–28
of May 2024, 2–5 km) with event ids PREFIX-n: the CLI's input in serve-load.sh and pg-load.sh."""
import sys

out, count, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(out, "w") as f:
    for n in range(count):
        day = 1 + n % 28
        f.write('{"event_id":"%s-%d","source":"bench","rider_id":"r%d","mode":"bus","start_time":"2024-05-%02dT07:00:00+08:00",'
                '"end_time":"2024-05-%02dT07:20:00+08:00","distance_m":%d}\n' % (prefix, n, n % 50000, day, day, 2000 + n % 3000))
