#!/usr/bin/env python3
"""Reads a `transit serve` /metrics page on standard input and prints what the service's own
histogram says of GET balance: how many requests, the p99 (as the histogram bucket that holds
it) and the share within 5 ms. Used by serve-load.sh and pg-load.sh; PREFIX (argv[1]) indents."""
import re
import sys

prefix = sys.argv[1] if len(sys.argv) > 1 else "   "
pattern = re.compile(r'http_request_duration_seconds_bucket\{method="GET",route="/v1/riders/\{rider_id\}/balance",status="200",le="([^"]+)"\} (\d+)')
buckets = []
for line in sys.stdin:
    m = pattern.match(line)
    if m:
        buckets.append((float("inf") if m.group(1) == "+Inf" else float(m.group(1)), int(m.group(2))))
total = buckets[-1][1] if buckets else 0
p99 = next((b for b, n in buckets if n >= 0.99 * total), float("nan"))
under5 = next((n for b, n in buckets if b == 0.005), 0)
print(f"{prefix}server side: {total} balance requests, p99 ≤ {p99 * 1000:g} ms (histogram bucket), {100 * under5 / max(1, total):.2f} % within 5 ms")
