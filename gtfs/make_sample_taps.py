#!/usr/bin/env python3
"""Writes gtfs/sample-city-taps/taps.csv: the boardings of gtfs/sample-city/rider_trip.txt on
one service date as fare-card taps, with the alightings hidden (tap-in-only data).

Each rider leg becomes one tap: tap_id, card_id (the rider), tap_time (the boarding time as
ISO 8601 in the agency's time zone, America/Chicago), route_id (from trips.txt), trip_id (kept
on every other tap only, as when half the validators do not know the trip) and stop_id; every
tenth tap has the vehicle's GPS position (the stop's, moved a few metres) instead of stop_id.
Standard library only; the same input gives the same bytes.

    python3 gtfs/make_sample_taps.py [--date 20260310] [--out gtfs/sample-city-taps/taps.csv]
"""
import argparse
import csv
import os
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument("--date", default="20260310")
parser.add_argument("--out", default=os.path.join(here, "sample-city-taps", "taps.csv"))
args = parser.parse_args()

feed = os.path.join(here, "sample-city")
zone = ZoneInfo("America/Chicago")
route_of = {r["trip_id"]: r["route_id"] for r in csv.DictReader(open(os.path.join(feed, "trips.txt"), encoding="utf-8"))}
stops = {r["stop_id"]: (float(r["stop_lat"]), float(r["stop_lon"])) for r in csv.DictReader(open(os.path.join(feed, "stops.txt"), encoding="utf-8"))}
legs = [r for r in csv.DictReader(open(os.path.join(feed, "rider_trip.txt"), encoding="utf-8")) if r["service_date"] == args.date]
d = args.date
midnight = datetime(int(d[:4]), int(d[4:6]), int(d[6:]), 12, tzinfo=zone) - timedelta(hours=12)
rng = random.Random(18)
rows = []
for i, leg in enumerate(legs):
    h, m, s = map(int, leg["boarding_time"].split(":"))
    when = (midnight + timedelta(seconds=h * 3600 + m * 60 + s)).astimezone(zone)
    tap = {"tap_id": f"TAP{i + 1:05d}", "card_id": leg["rider_id"], "tap_time": when.isoformat(),
           "route_id": route_of[leg["trip_id"]], "trip_id": leg["trip_id"] if i % 2 == 0 else "",
           "stop_id": leg["boarding_stop_id"], "lat": "", "lon": ""}
    if i % 10 == 5:
        lat, lon = stops[leg["boarding_stop_id"]]
        tap["stop_id"] = ""
        tap["lat"] = f"{lat + rng.uniform(-0.00005, 0.00005):.6f}"
        tap["lon"] = f"{lon + rng.uniform(-0.00005, 0.00005):.6f}"
    rows.append(tap)
rows.sort(key=lambda t: (t["tap_time"], t["tap_id"]))
os.makedirs(os.path.dirname(args.out), exist_ok=True)
tmp = args.out + ".tmp"
with open(tmp, "w", encoding="utf-8", newline="") as f:
    w = csv.DictWriter(f, fieldnames=["tap_id", "card_id", "tap_time", "route_id", "trip_id", "stop_id", "lat", "lon"], lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
os.replace(tmp, args.out)
print(f"wrote {args.out}: {len(rows)} taps on {d}")
