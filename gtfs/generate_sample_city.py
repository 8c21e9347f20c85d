#!/usr/bin/env python3
"""Generate the synthetic "Riverton Valley Transit" GTFS + GTFS-ride feed.

Usage (from the repository root):

    python3 gtfs/generate_sample_city.py            # writes gtfs/sample-city/*.txt
    python3 gtfs/generate_sample_city.py --out DIR  # writes somewhere else

Python 3 standard library only.  Every random choice comes from one seeded
``random.Random`` and no set or hash order is ever iterated, so two runs give
byte-identical files.  The city, its streets, stops, timetables and riders are
all invented; see gtfs/README.md for the model behind them.

After writing, the script re-reads nothing but runs a battery of internal
consistency checks on what it generated (foreign keys, unique keys, monotone
times and distances, stop-to-shape distances, load conservation, rider legs
inside the counted flows) and exits non-zero if any fails.
"""

import argparse
import csv
import datetime as dt
import math
import os
import random
import sys

SEED = 20260105
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "sample-city")

# --------------------------------------------------------------------------------------
# Geography: a local planar frame in metres (x east, y north) around the city centre.
# --------------------------------------------------------------------------------------

LAT0, LON0 = 40.2950, -93.1120  # open farmland in northern Missouri: no real stops here
_PHI = math.radians(LAT0)
M_PER_DEG_LAT = 111132.92 - 559.82 * math.cos(2 * _PHI) + 1.175 * math.cos(4 * _PHI)
M_PER_DEG_LON = 111412.84 * math.cos(_PHI) - 93.5 * math.cos(3 * _PHI)
EARTH_R = 6371008.8

CURB_OFFSET = 4.0      # bus lane centre / stop: metres right of the street centreline
TRACK_OFFSET = 2.5     # rail track centre: metres right of the corridor centreline
PLATFORM_OFFSET = 5.5  # rail side platform: metres right of the corridor centreline
NEAR_SIDE = 30.0       # bus stops sit 30 m before the intersection they are named after
MID_BLOCK = 10.0       # mid-block sites: the two directions' stops are 20 m apart
MIN_SITE_SPACING = 300.0
MAX_SITE_GAP = 560.0
MAX_RAIL_GAP = 1300.0
MIN_STOP_GAP = 180.0
TERMINAL_EXTENSION = 60.0
MAX_SHAPE_STEP = 150.0


def to_latlon(x, y):
    return LAT0 + y / M_PER_DEG_LAT, LON0 + x / M_PER_DEG_LON


def fmt_coord(v):
    return "%.6f" % v


def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_R * math.asin(min(1.0, math.sqrt(a)))


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def gauss_bump(x, y, cx, cy, sigma):
    return math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigma * sigma))


class Street:
    """A named centreline polyline with an arc-length coordinate s (metres)."""

    def __init__(self, name, pts, kind="street"):
        self.name = name
        self.pts = [tuple(map(float, p)) for p in pts]
        self.kind = kind
        self.cum = [0.0]
        for a, b in zip(self.pts, self.pts[1:]):
            self.cum.append(self.cum[-1] + dist(a, b))
        self.length = self.cum[-1]

    def _seg(self, s):
        for i in range(len(self.pts) - 1):
            if s <= self.cum[i + 1] or i == len(self.pts) - 2:
                return i
        return len(self.pts) - 2

    def point(self, s):
        i = self._seg(s)
        a, b = self.pts[i], self.pts[i + 1]
        seg = self.cum[i + 1] - self.cum[i]
        f = (s - self.cum[i]) / seg
        return (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]))

    def tangent(self, s):
        i = self._seg(s)
        a, b = self.pts[i], self.pts[i + 1]
        d = dist(a, b)
        return ((b[0] - a[0]) / d, (b[1] - a[1]) / d)

    def offset_point(self, s, sign, w):
        """Point w metres to the right of travel when moving with sign (+1 = increasing s)."""
        px, py = self.point(s)
        ux, uy = self.tangent(s)
        ux, uy = ux * sign, uy * sign
        return (px + w * uy, py - w * ux)

    def sub_polyline(self, sa, sb):
        pts = [self.point(sa)]
        if sb > sa:
            for i in range(1, len(self.pts) - 1):
                if sa < self.cum[i] < sb:
                    pts.append(self.pts[i])
        else:
            for i in range(len(self.pts) - 2, 0, -1):
                if sb < self.cum[i] < sa:
                    pts.append(self.pts[i])
        pts.append(self.point(sb))
        return pts

    def crossings(self, other):
        """All (s_self, s_other, point) where the two centrelines meet."""
        out = []
        for i in range(len(self.pts) - 1):
            p1, p2 = self.pts[i], self.pts[i + 1]
            for j in range(len(other.pts) - 1):
                q1, q2 = other.pts[j], other.pts[j + 1]
                r = (p2[0] - p1[0], p2[1] - p1[1])
                q = (q2[0] - q1[0], q2[1] - q1[1])
                den = r[0] * q[1] - r[1] * q[0]
                if abs(den) < 1e-9:
                    continue
                w = (q1[0] - p1[0], q1[1] - p1[1])
                t = (w[0] * q[1] - w[1] * q[0]) / den
                u = (w[0] * r[1] - w[1] * r[0]) / den
                eps = 1e-7
                if -eps <= t <= 1 + eps and -eps <= u <= 1 + eps:
                    t = min(1.0, max(0.0, t))
                    u = min(1.0, max(0.0, u))
                    s_self = self.cum[i] + t * (self.cum[i + 1] - self.cum[i])
                    s_oth = other.cum[j] + u * (other.cum[j + 1] - other.cum[j])
                    pt = (p1[0] + t * r[0], p1[1] + t * r[1])
                    if all(abs(s_self - o[0]) > 0.5 for o in out):
                        out.append((s_self, s_oth, pt))
        return out


def cumulative(values, start=0.0):
    out, acc = [], start
    for v in values:
        acc += v
        out.append(acc)
    return out


# Avenues run north-south (named), streets east-west (numbered from Center Street).
AVENUES_EAST = ["Adams", "Jefferson", "Madison", "Monroe", "Jackson", "Harrison", "Tyler",
                "Polk", "Taylor", "Fillmore", "Pierce", "Buchanan"]
AVENUES_EAST_SPACING = [420, 410, 430, 400, 450, 420, 440, 460, 430, 470, 450, 480]
AVENUES_WEST = ["Cedar", "Birch", "Walnut", "Hickory", "Chestnut", "Müllerstraße", "Sycamore",
                "Willow", "Juniper", "Aspen", "Magnolia", "Poplar"]
AVENUES_WEST_SPACING = [400, 420, 410, 440, 430, 450, 420, 460, 440, 480, 470, 450]
STREETS_NORTH_SPACING = [410, 400, 420, 430, 410, 440, 420, 450, 430, 460, 440]
STREETS_SOUTH_SPACING = [420, 400, 430, 410, 440, 420, 450, 430, 460]
GRID_X = (-5600, 5600)
GRID_Y = (-4150, 4950)


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return "%d%s" % (n, suffix)


def avenue_name(base):
    return base if base.endswith("straße") else base + " Avenue"


def build_streets():
    streets = {}
    xs = {"Main Avenue": 0.0}
    for name, x in zip(AVENUES_EAST, cumulative(AVENUES_EAST_SPACING)):
        xs[avenue_name(name)] = float(x)
    for name, x in zip(AVENUES_WEST, cumulative(AVENUES_WEST_SPACING)):
        xs[avenue_name(name)] = -float(x)
    for name in sorted(xs, key=lambda n: xs[n]):
        streets[name] = Street(name, [(xs[name], GRID_Y[0]), (xs[name], GRID_Y[1])])
    ys = {"Center Street": 0.0}
    for i, y in enumerate(cumulative(STREETS_NORTH_SPACING)):
        ys["%s Street North" % ordinal(i + 1)] = float(y)
    for i, y in enumerate(cumulative(STREETS_SOUTH_SPACING)):
        ys["%s Street South" % ordinal(i + 1)] = -float(y)
    for name in sorted(ys, key=lambda n: ys[n]):
        streets[name] = Street(name, [(GRID_X[0], ys[name]), (GRID_X[1], ys[name])])
    jx = xs["Jefferson Avenue"]
    y1 = ys["1st Street North"]
    # Three diagonals: a parkway to the north-east, the river road, the airport road.
    streets["Lincoln Parkway"] = Street("Lincoln Parkway", [(jx, y1), (jx + (GRID_Y[1] - y1), GRID_Y[1])])
    cx = xs["Cedar Avenue"]
    s1 = ys["1st Street South"]
    streets["Riverside Drive"] = Street(
        "Riverside Drive", [(cx, s1), (-1400, -1000), (-2300, -1800), (-3100, -2700), (-3900, -3700)])
    mx = xs["Madison Avenue"]
    s2 = ys["2nd Street South"]
    streets["Airport Road"] = Street("Airport Road", [(mx, s2), (2600, -2300), (3900, -3700)])
    rail = Street("Riverline", [(-5200, -3500), (-1300, 120), (1700, 120), (5000, 3900)], kind="rail")
    return streets, rail, xs, ys


# --------------------------------------------------------------------------------------
# Land use: residents and jobs per place, used for stop weights in the demand model.
# --------------------------------------------------------------------------------------

CBD = (210.0, 100.0)
PLACES = {
    "university": (3860.0, 0.0),
    "hospital": (-1670.0, 1230.0),
    "mall": (4230.0, 3810.0),
    "industrial": (2800.0, -2700.0),
    "airport": (3800.0, -3600.0),
}


def population(x, y):
    r = math.hypot(x - CBD[0], y - CBD[1])
    p = 0.35 + 0.8 * math.exp(-((r - 2800.0) / 1800.0) ** 2)
    p += 1.3 * gauss_bump(x, y, -2100, -2100, 900)   # Alamosa
    p += 0.9 * gauss_bump(x, y, -2550, 1800, 800)    # German Village
    p += 0.7 * gauss_bump(x, y, 0, 3800, 1000)       # North Hills
    p += 0.6 * gauss_bump(x, y, 2500, -800, 800)     # Eastgate
    p += 0.7 * gauss_bump(x, y, 500, -3000, 900)     # Southside
    p += 0.8 * gauss_bump(x, y, 4400, 600, 500)      # student housing
    p += 0.5 * gauss_bump(x, y, -3600, 3300, 900)    # Oak Hill
    p *= 1.0 - 0.6 * math.exp(-(r / 900.0) ** 2)
    return p


def jobs(x, y):
    d = math.hypot(x - CBD[0], y - CBD[1])
    j = 0.15 + 6.0 * math.exp(-(d / 750.0) ** 2) + 0.4 * math.exp(-(d / 2500.0) ** 2)
    j += 3.0 * gauss_bump(x, y, *PLACES["university"], 450)
    j += 2.2 * gauss_bump(x, y, *PLACES["hospital"], 350)
    j += 1.6 * gauss_bump(x, y, *PLACES["mall"], 400)
    j += 2.0 * gauss_bump(x, y, *PLACES["industrial"], 700)
    j += 1.0 * gauss_bump(x, y, *PLACES["airport"], 400)
    return j


# --------------------------------------------------------------------------------------
# Network definition
# --------------------------------------------------------------------------------------

AGENCY_ID = "RVT"
HUB_X = 210.0

# Sites that must get stops (transfer points and landmarks).  ("cross", street) names the
# intersection; ("x", value) / ("y", value) a mid-block point; ("end", metres) the far end.
FORCED_SITES = [
    ("Center Street", ("x", HUB_X), "Riverton Transit Center", "hub"),
    ("Main Avenue", ("cross", "6th Street North"), None, "transfer"),
    ("6th Street North", ("cross", "Main Avenue"), None, "transfer"),
    ("Lincoln Parkway", ("cross", "6th Street North"), None, "transfer"),
    ("6th Street North", ("cross", "Lincoln Parkway"), None, "transfer"),
    ("6th Street North", ("cross", "Sycamore Avenue"), None, "transfer"),
    ("Sycamore Avenue", ("cross", "6th Street North"), None, "transfer"),
    ("Adams Avenue", ("cross", "5th Street South"), None, "transfer"),
    ("5th Street South", ("cross", "Adams Avenue"), None, "transfer"),
    ("Riverside Drive", ("cross", "5th Street South"), None, "transfer"),
    ("5th Street South", ("cross", "Riverside Drive"), None, "transfer"),
    ("Airport Road", ("cross", "5th Street South"), None, "transfer"),
    ("5th Street South", ("cross", "Airport Road"), None, "transfer"),
    ("6th Street North", ("rail", None), "6th Street North & Riverline Station", "transfer"),
    ("5th Street South", ("rail", None), "5th Street South & Riverline Station", "transfer"),
    ("Center Street", ("cross", "Taylor Avenue"), "Riverton State University", "landmark"),
    ("3rd Street North", ("cross", "Hickory Avenue"), "Mercy General Hospital", "landmark"),
    ("Lincoln Parkway", ("cross", "9th Street North"), "Northeast Plaza Mall", "landmark"),
    ("5th Street South", ("cross", "Chestnut Avenue"), "Plaza de la Constitución", "landmark"),
    ("Airport Road", ("cross", "7th Street South"), "Riverton Industrial Park", "landmark"),
    ("Airport Road", ("end", 40.0), "Riverton Regional Airport", "landmark"),
]

# Route path: [start cross street, street, street, ..., end cross street (None = street end)].
# Direction 0 follows the list; direction 1 is its reverse.
BUS_ROUTES = [
    dict(id="1", long="Main Avenue", color="C8102E", text="FFFFFF", vehicle="std40",
         path=["11th Street North", "Main Avenue", "Center Street", "Adams Avenue", "9th Street South"],
         headsign=("Southgate via Downtown", "North Hills via Downtown"), target=90.0,
         desc="North Hills to Southgate along Main Avenue and Adams Avenue through the Transit Center"),
    dict(id="2", long="Lincoln Parkway", color="0057B8", text="FFFFFF", vehicle="std40",
         path=["Main Avenue", "Center Street", "Jefferson Avenue", "Lincoln Parkway", "11th Street North"],
         headsign=("Northeast Plaza", "Downtown Transit Center"), target=80.0,
         desc="Transit Center to Northeast Plaza Mall along Lincoln Parkway"),
    dict(id="3", long="Riverside", color="2E7D32", text="FFFFFF", vehicle="std40",
         path=["Adams Avenue", "Center Street", "Cedar Avenue", "Riverside Drive", "8th Street South"],
         headsign=("Westbank via Riverside Drive", "Downtown Transit Center"), target=56.0,
         desc="Transit Center to Westbank along the river through Alamosa"),
    dict(id="4", long="Northside Crosstown", color="F2A900", text="000000", vehicle="std40",
         path=["Willow Avenue", "6th Street North", "Fillmore Avenue"],
         headsign=("Eastfield", "Oak Hill"), target=42.0,
         desc="East-west crosstown on 6th Street North, linking Routes 1, 2, 6 and the Riverline"),
    dict(id="5", long="University – Center Street", color="6A1B9A", text="FFFFFF", vehicle="art60",
         path=["Juniper Avenue", "Center Street", "Pierce Avenue"],
         headsign=("Pierce Avenue via University", "Juniper Avenue"), target=104.0,
         desc="Articulated trunk line on Center Street from the west side to the university"),
    dict(id="6", long="Oak Hill – Mercy Hospital", color="00838F", text="FFFFFF", vehicle="std40",
         path=["Adams Avenue", "Center Street", "Birch Avenue", "3rd Street North", "Sycamore Avenue",
               "10th Street North"],
         headsign=("Oak Hill via Mercy Hospital", "Downtown Transit Center"), target=52.0,
         desc="Transit Center to Oak Hill via Mercy General Hospital and German Village"),
    dict(id="7", long="Airport – Industrial Park", color="6D4C41", text="FFFFFF", vehicle="std40",
         path=["Main Avenue", "Center Street", "Madison Avenue", "Airport Road", None],
         headsign=("Regional Airport", "Downtown Transit Center"), target=40.0,
         desc="Transit Center to the Industrial Park and the Regional Airport"),
    dict(id="8", long="Southside Crosstown", color="E65100", text="000000", vehicle="std30",
         path=["Juniper Avenue", "5th Street South", "Polk Avenue"],
         headsign=("Polk Avenue", "Riverline Station"), target=30.0,
         desc="East-west crosstown on 5th Street South through Plaza de la Constitución"),
]

RAIL_ROUTE = dict(id="RL", short="RL", long="Riverline Light Rail", color="00A3E0", text="000000",
                  headsign=("Eastfield", "Westbank"),
                  desc="Light rail from Westbank through the Transit Center to Eastfield, every 7.5-20 minutes")

VEHICLES = {
    "std40": dict(desc="40-foot low-floor hybrid-electric bus", seated=40, standing=30, wheelchair=2, bike=2, crush=100),
    "std30": dict(desc="30-foot low-floor diesel bus", seated=28, standing=20, wheelchair=2, bike=2, crush=70),
    "art60": dict(desc="60-foot articulated battery-electric bus", seated=60, standing=50, wheelchair=2, bike=3, crush=150),
    "lrv2": dict(desc="Two-car light rail train", seated=136, standing=204, wheelchair=4, bike=8, crush=400),
}

# Weekday periods (hours) and per-route headways in minutes.
WKD_PERIODS = [(4.5, 6.0), (6.0, 7.0), (7.0, 9.0), (9.0, 16.0), (16.0, 19.0), (19.0, 21.0), (21.0, 27.0)]
SAT_PERIODS = [(5.0, 9.0), (9.0, 19.0), (19.0, 27.0)]
SUN_PERIODS = [(6.0, 10.0), (10.0, 18.0), (18.0, 27.0)]
PERIOD_LABELS = {
    "WKD": ["early", "06-07", "AM peak 07-09", "midday 09-16", "PM peak 16-19", "evening 19-21", "night"],
    "SAT": ["morning", "day 09-19", "evening"],
    "SUN": ["morning", "day 10-18", "evening"],
}
# route: {service: (first departure, last departure, [headways per period])}
TIMETABLE = {
    "1": {"WKD": ("05:00", "24:30", [20, 12, 7.5, 12, 7.5, 20, 30]),
          "SAT": ("06:00", "24:30", [20, 15, 30]), "SUN": ("07:00", "23:00", [30, 20, 30])},
    "2": {"WKD": ("05:10", "24:10", [20, 15, 10, 15, 10, 20, 30]),
          "SAT": ("06:10", "24:10", [30, 20, 30]), "SUN": ("07:10", "22:10", [30, 30, 60])},
    "3": {"WKD": ("05:15", "23:15", [30, 20, 15, 20, 15, 30, 45]),
          "SAT": ("06:15", "22:15", [30, 30, 60]), "SUN": ("07:15", "21:15", [60, 30, 60])},
    "4": {"WKD": ("05:30", "23:00", [30, 30, 15, 30, 15, 30, 60]),
          "SAT": ("06:30", "22:30", [60, 30, 60]), "SUN": ("07:30", "21:30", [60, 60, 60])},
    "5": {"WKD": ("05:00", "24:30", [15, 10, 7.5, 10, 7.5, 15, 30]),
          "SAT": ("06:00", "24:30", [20, 15, 30]), "SUN": ("07:00", "23:00", [30, 20, 30])},
    "6": {"WKD": ("05:15", "23:30", [30, 20, 12, 20, 12, 30, 60]),
          "SAT": ("06:15", "22:15", [30, 30, 60]), "SUN": ("07:15", "21:15", [60, 30, 60])},
    "7": {"WKD": ("04:45", "23:30", [30, 30, 15, 30, 15, 30, 60]),
          "SAT": ("05:45", "22:45", [60, 30, 60]), "SUN": ("06:45", "21:45", [60, 60, 60])},
    "8": {"WKD": ("05:30", "22:30", [40, 30, 20, 30, 20, 40, 60]),
          "SAT": ("06:30", "21:30", [60, 40, 60]), "SUN": ("07:30", "20:30", [60, 60, 60])},
}
DIR1_OFFSET_MIN = {"1": 4, "2": 5, "3": 7, "4": 3, "5": 2, "6": 6, "7": 8, "8": 10}
# Riverline frequencies: service -> [(start, end, headway seconds)]
RAIL_FREQ = {
    "WKD": [("05:00:00", "06:00:00", 900), ("06:00:00", "09:00:00", 450), ("09:00:00", "15:00:00", 720),
            ("15:00:00", "18:30:00", 450), ("18:30:00", "21:00:00", 900), ("21:00:00", "24:30:00", 1200)],
    "SAT": [("06:00:00", "09:00:00", 1200), ("09:00:00", "20:00:00", 900), ("20:00:00", "24:30:00", 1200)],
    "SUN": [("07:00:00", "21:00:00", 1200), ("21:00:00", "23:00:00", 1800)],
}

SERVICES = [
    ("WKD", (1, 1, 1, 1, 1, 0, 0)),
    ("SAT", (0, 0, 0, 0, 0, 1, 0)),
    ("SUN", (0, 0, 0, 0, 0, 0, 1)),
]
FEED_START = dt.date(2026, 1, 5)
FEED_END = dt.date(2026, 12, 31)
# (date, removed service, added service, holiday)
HOLIDAYS = [
    (dt.date(2026, 1, 19), "WKD", "SAT", "Martin Luther King Jr. Day"),
    (dt.date(2026, 5, 25), "WKD", "SUN", "Memorial Day"),
    (dt.date(2026, 7, 3), "WKD", "SUN", "Independence Day (observed)"),
    (dt.date(2026, 7, 4), "SAT", "SUN", "Independence Day"),
    (dt.date(2026, 9, 7), "WKD", "SUN", "Labor Day"),
    (dt.date(2026, 11, 26), "WKD", "SUN", "Thanksgiving Day"),
    (dt.date(2026, 11, 27), "WKD", "SAT", "Day after Thanksgiving"),
    (dt.date(2026, 12, 25), "WKD", "SUN", "Christmas Day"),
]
OBSERVED_DATES = [dt.date(2026, 3, 10), dt.date(2026, 3, 11), dt.date(2026, 3, 12)]
DATE_FACTOR = [1.00, 1.04, 0.97]


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

def hms(sec):
    sec = int(round(sec))
    return "%02d:%02d:%02d" % (sec // 3600, (sec % 3600) // 60, sec % 60)


def parse_hm(text):
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def ymd(d):
    return d.strftime("%Y%m%d")


def g(t, mu, sigma):
    return math.exp(-0.5 * ((t - mu) / sigma) ** 2)


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def poisson(rng, lam):
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def run_time_factor(hour):
    """Scheduled running time relative to free-flow: about +20% in the peaks."""
    f = 0.93 + 0.26 * g(hour, 8.0, 0.8) + 0.28 * g(hour, 17.2, 1.0) + 0.08 * g(hour, 12.5, 1.8)
    if hour < 6.0 or hour > 21.0:
        f -= 0.04
    return f


def segment_speed_kmh(p, mode):
    if mode == "rail":
        return 38.0
    r = math.hypot(p[0] - CBD[0], p[1] - CBD[1])
    if r < 1000:
        return 15.5
    if r < 2500:
        return 21.0
    return 26.0


# --------------------------------------------------------------------------------------
# Stops and sites
# --------------------------------------------------------------------------------------

class Site:
    def __init__(self, street, s, name, kind, forced, midblock):
        self.street = street
        self.s = s
        self.name = name
        self.kind = kind
        self.forced = forced
        self.midblock = midblock

    def stop_s(self, sign):
        delta = MID_BLOCK if self.midblock else NEAR_SIDE
        return self.s - delta * sign


class StopRec:
    def __init__(self, key, name, xy, kind):
        self.key = key
        self.name = name
        self.xy = xy
        self.kind = kind
        self.stop_id = None
        self.code = ""
        self.parent = ""
        self.location_type = 0
        self.platform_code = ""
        self.wheelchair = 1
        self.lat, self.lon = to_latlon(*xy)
        self.lat = float(fmt_coord(self.lat))
        self.lon = float(fmt_coord(self.lon))


MINOR_STREETS = ["Calle Peña", "Larkspur Lane", "Bluebird Court", "Aster Way", "Quail Run", "Foxglove Lane",
                 "Heron Way", "Primrose Court", "Kestrel Drive", "Marigold Lane", "Wren Court", "Clover Lane",
                 "Finch Way", "Tulip Court", "Sparrow Lane", "Lilac Way", "Cardinal Court", "Zinnia Lane",
                 "Oriole Way", "Daisy Court", "Robin Lane", "Iris Way", "Lark Court", "Peony Lane",
                 "Swallow Way", "Thistle Court", "Juniper Berry Lane", "Magpie Court", "Sage Way", "Plover Lane"]


_MINOR_NAMED = [0]  # how many minor side-street names have been handed out


def build_sites(streets, rail):
    bus_streets = [st for st in streets.values()]
    sites = {}
    for st in bus_streets:
        cands = []
        for other in bus_streets:
            if other is st:
                continue
            for s_self, _s_oth, _pt in st.crossings(other):
                cands.append((s_self, other.name))
        cands.sort(key=lambda c: (c[0], c[1]))
        merged = []
        for s, nm in cands:
            if merged and abs(merged[-1][0] - s) < 5.0:
                continue
            merged.append((s, nm))
        forced = []
        for (sname, where, label, kind) in FORCED_SITES:
            if sname != st.name:
                continue
            if where[0] == "cross":
                xs = st.crossings(streets[where[1]])
                assert xs, (sname, where)
                s = xs[0][0]
                forced.append(Site(st, s, label or "%s & %s" % (st.name, where[1]), kind, True, False))
            elif where[0] == "x":
                s = where[1] - st.pts[0][0]
                forced.append(Site(st, s, label, kind, True, True))
            elif where[0] == "end":
                forced.append(Site(st, st.length - where[1], label, kind, True, True))
            elif where[0] == "rail":
                xs = st.crossings(rail)
                assert xs, (sname, where)
                forced.append(Site(st, xs[0][0], label, kind, True, True))
        chosen = list(forced)
        for s, nm in merged:
            if all(abs(s - c.s) >= MIN_SITE_SPACING for c in chosen):
                chosen.append(Site(st, s, "%s & %s" % (st.name, nm), "cross", False, False))
        chosen.sort(key=lambda c: c.s)
        # Fill long gaps (diagonals cross the grid at uneven intervals, and the transit mall
        # keeps other stops away) with the crossing nearest the middle of the gap if one is at
        # least 250 m from both neighbours, else with a mid-block stop at a minor side street.
        k = 0
        while k < len(chosen) - 1:
            a, b = chosen[k], chosen[k + 1]
            if b.s - a.s > MAX_SITE_GAP:
                mid = (a.s + b.s) / 2.0
                fill = [(abs(s - mid), s, nm) for s, nm in merged if a.s + 250 <= s <= b.s - 250]
                if fill:
                    fill.sort()
                    _, s, nm = fill[0]
                    chosen.insert(k + 1, Site(st, s, "%s & %s" % (st.name, nm), "cross", False, False))
                else:
                    # Named after a minor side street when a route first uses it.
                    chosen.insert(k + 1, Site(st, mid, None, "minor", False, True))
                continue
            k += 1
        sites[st.name] = chosen
    return sites


# --------------------------------------------------------------------------------------
# Routes: path -> legs -> stops, centreline, lane shape
# --------------------------------------------------------------------------------------

def route_legs(streets, path):
    names = path[1:-1]
    legs = []
    for k, name in enumerate(names):
        st = streets[name]
        if k == 0:
            xs = st.crossings(streets[path[0]])
            assert len(xs) == 1, (name, path[0])
            s_in = xs[0][0]
        else:
            xs = st.crossings(streets[names[k - 1]])
            assert len(xs) == 1, (name, names[k - 1])
            s_in = xs[0][0]
        if k == len(names) - 1:
            if path[-1] is None:
                s_out = st.length
            else:
                xs = st.crossings(streets[path[-1]])
                assert len(xs) == 1, (name, path[-1])
                s_out = xs[0][0]
        else:
            xs = st.crossings(streets[names[k + 1]])
            assert len(xs) == 1, (name, names[k + 1])
            s_out = xs[0][0]
        legs.append([st, s_in, s_out])
    # Extend the open ends so that both directions serve the terminal intersection's stops.
    first = legs[0]
    sgn = 1 if first[2] > first[1] else -1
    if path[0] is not None:
        first[1] = min(first[0].length, max(0.0, first[1] - sgn * TERMINAL_EXTENSION))
    last = legs[-1]
    sgn = 1 if last[2] > last[1] else -1
    if path[-1] is not None:
        last[2] = min(last[0].length, max(0.0, last[2] + sgn * TERMINAL_EXTENSION))
    return [tuple(l) for l in legs]


def reverse_legs(legs):
    return [(st, b, a) for (st, a, b) in reversed(legs)]


def offset_polyline(pts, w):
    """Offset a polyline w metres to the right with mitred joins."""
    n = len(pts)
    dirs = []
    for a, b in zip(pts, pts[1:]):
        d = dist(a, b)
        dirs.append(((b[0] - a[0]) / d, (b[1] - a[1]) / d))
    out = []
    for i in range(n):
        if i == 0 or i == n - 1:
            ux, uy = dirs[0] if i == 0 else dirs[-1]
            out.append((pts[i][0] + w * uy, pts[i][1] - w * ux))
            continue
        (ax, ay), (bx, by) = dirs[i - 1], dirs[i]
        na = (ay, -ax)
        nb = (by, -bx)
        mx, my = na[0] + nb[0], na[1] + nb[1]
        mlen = math.hypot(mx, my)
        if mlen < 1e-9:
            out.append((pts[i][0] + w * na[0], pts[i][1] + w * na[1]))
            continue
        mx, my = mx / mlen, my / mlen
        cos_half = mx * na[0] + my * na[1]
        scale = w / max(cos_half, 0.2)
        out.append((pts[i][0] + scale * mx, pts[i][1] + scale * my))
    return out


def project_on_polyline(pts, p, start_seg=0):
    best = None
    for i in range(start_seg, len(pts) - 1):
        a, b = pts[i], pts[i + 1]
        vx, vy = b[0] - a[0], b[1] - a[1]
        l2 = vx * vx + vy * vy
        t = ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / l2
        t = min(1.0, max(0.0, t))
        q = (a[0] + t * vx, a[1] + t * vy)
        d = dist(p, q)
        if best is None or d < best[0] - 1e-9:
            best = (d, i, t, q)
        if best[0] < 0.05 and d > 50:
            break
    return best


def build_route_pattern(route_id, direction, legs, sites, stops_by_key, mode="bus"):
    """Return (stop keys, shape points with stop vertex indices, centreline distances)."""
    centre = []
    for st, a, b in legs:
        part = st.sub_polyline(a, b)
        if centre and dist(centre[-1], part[0]) < 0.01:
            part = part[1:]
        centre.extend(part)
    # Stops along the legs.
    cand = []
    offset_before = 0.0
    for st, a, b in legs:
        sgn = 1 if b > a else -1
        for site in sites[st.name]:
            s_stop = site.stop_s(sgn)
            if (s_stop - a) * sgn < 20.0 or (b - s_stop) * sgn < 5.0:
                continue
            if s_stop < 0 or s_stop > st.length:
                continue
            key = (st.name, round(site.s, 1), sgn)
            if site.name is None:
                site.name = "%s & %s" % (st.name, MINOR_STREETS[_MINOR_NAMED[0] % len(MINOR_STREETS)])
                _MINOR_NAMED[0] += 1
            if key not in stops_by_key:
                if mode == "bus":
                    xy = st.offset_point(s_stop, sgn, CURB_OFFSET)
                else:
                    xy = st.offset_point(s_stop, sgn, PLATFORM_OFFSET)
                stops_by_key[key] = StopRec(key, site.name, xy, site.kind)
            along = offset_before + abs(s_stop - a)
            cand.append((along, key, site.forced))
        offset_before += abs(b - a)
    cand.sort(key=lambda c: c[0])
    kept = []
    for along, key, forced in cand:
        if kept and along - kept[-1][0] < MIN_STOP_GAP:
            if forced and not kept[-1][2]:
                kept[-1] = (along, key, forced)
            continue
        kept.append((along, key, forced))
    keys = [k for _, k, _ in kept]
    w = CURB_OFFSET if mode == "bus" else TRACK_OFFSET
    lane = offset_polyline(centre, w)
    # Insert stop points into the lane as vertices.
    pts = list(lane)
    stop_vertex = []
    seg = 0
    for key in keys:
        xy = stops_by_key[key].xy
        d, i, t, q = project_on_polyline(pts, xy, seg)
        limit = 0.5 if mode == "bus" else PLATFORM_OFFSET - TRACK_OFFSET + 0.5
        assert d < limit, (route_id, direction, key, d)
        vertex = xy if mode == "bus" else q
        if dist(vertex, pts[i]) < 0.3:
            pts[i] = vertex
            idx = i
        elif dist(vertex, pts[i + 1]) < 0.3:
            pts[i + 1] = vertex
            idx = i + 1
        else:
            pts.insert(i + 1, vertex)
            idx = i + 1
        stop_vertex.append(idx)
        seg = idx
    # Trim to first..last stop and densify.
    first, last = stop_vertex[0], stop_vertex[-1]
    pts = pts[first:last + 1]
    stop_vertex = [v - first for v in stop_vertex]
    dense, vmap = [], {}
    for i in range(len(pts)):
        if i > 0:
            a, b = pts[i - 1], pts[i]
            n = int(math.ceil(dist(a, b) / MAX_SHAPE_STEP))
            for k in range(1, n):
                f = k / n
                dense.append((a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])))
        vmap[i] = len(dense)
        dense.append(pts[i])
    stop_vertex = [vmap[v] for v in stop_vertex]
    return keys, dense, stop_vertex


# --------------------------------------------------------------------------------------
# Main generation
# --------------------------------------------------------------------------------------

class Feed:
    pass


def generate(out_dir):
    rng = random.Random(SEED)
    _MINOR_NAMED[0] = 0
    feed = Feed()
    streets, rail, _xs, _ys = build_streets()
    sites = build_sites(streets, rail)
    stops_by_key = {}

    # ---- bus patterns ----
    patterns = {}  # (route, dir) -> dict
    for r in BUS_ROUTES:
        legs0 = route_legs(streets, r["path"])
        for d, legs in ((0, legs0), (1, reverse_legs(legs0))):
            keys, shape_pts, sv = build_route_pattern(r["id"], d, legs, sites, stops_by_key)
            patterns[(r["id"], d)] = dict(keys=keys, shape_xy=shape_pts, stop_vertex=sv, mode="bus")

    # ---- rail pattern ----
    rail_sites = []
    cands = []
    for st in streets.values():
        for s_self, _s_oth, _pt in rail.crossings(st):
            cands.append((s_self, st.name))
    cands.sort()
    hub_s = None
    for i in range(len(rail.pts) - 1):
        a, b = rail.pts[i], rail.pts[i + 1]
        if abs(a[1] - b[1]) < 1e-6 and min(a[0], b[0]) <= HUB_X <= max(a[0], b[0]):
            hub_s = rail.cum[i] + abs(HUB_X - a[0])
    assert hub_s is not None
    forced = [(hub_s, "Riverton Transit Center", "hub"), (60.0, "Westbank Park & Ride", "terminal"),
              (rail.length - 60.0, "Eastfield Park & Ride", "terminal")]
    for nm in ("6th Street North", "5th Street South"):
        s = rail.crossings(streets[nm])[0][0]
        forced.append((s, "%s Station" % nm, "transfer"))
    chosen = [Site(rail, s, nm, kind, True, True) for s, nm, kind in forced]
    for s, nm in cands:
        if all(abs(s - c.s) >= 850.0 for c in chosen):
            chosen.append(Site(rail, s, "%s Station" % nm, "station", False, True))
    chosen.sort(key=lambda c: c.s)
    k = 0
    while k < len(chosen) - 1:
        a, b = chosen[k], chosen[k + 1]
        if b.s - a.s > MAX_RAIL_GAP:
            mid = (a.s + b.s) / 2.0
            fill = sorted((abs(s - mid), s, nm) for s, nm in cands if a.s + 500 <= s <= b.s - 500)
            if fill:
                _, s, nm = fill[0]
                chosen.insert(k + 1, Site(rail, s, "%s Station" % nm, "station", False, True))
                continue
        k += 1
    # Rail stops sit at the crossing itself (mid-block style, +-10 m per direction).
    rail_sites = {rail.name: chosen}
    rail_legs0 = [(rail, 0.0, rail.length)]
    for d, legs in ((0, rail_legs0), (1, reverse_legs(rail_legs0))):
        keys, shape_pts, sv = build_route_pattern("RL", d, legs, rail_sites, stops_by_key, mode="rail")
        patterns[("RL", d)] = dict(keys=keys, shape_xy=shape_pts, stop_vertex=sv, mode="rail")

    # ---- stop ids ----
    order = []
    for r in BUS_ROUTES + [RAIL_ROUTE]:
        for d in (0, 1):
            for key in patterns[(r["id"], d)]["keys"]:
                if key not in order:
                    order.append(key)
    stops = []
    code = 1001
    rail_index = 0
    rail_ids = {}
    for key in order:
        rec = stops_by_key[key]
        street_name, _s, sgn = key
        if street_name == rail.name:
            site_s = key[1]
            if site_s not in rail_ids:
                rail_index += 1
                rail_ids[site_s] = rail_index
            if rec.kind == "hub":
                rec.stop_id = "TC-P1" if sgn == 1 else "TC-P2"
                rec.name = "Riverton Transit Center Platform %s" % ("1" if sgn == 1 else "2")
                rec.platform_code = "1" if sgn == 1 else "2"
                rec.parent = "TC"
            else:
                rec.stop_id = "RL%02d%s" % (rail_ids[site_s], "E" if sgn == 1 else "W")
                rec.code = "%d" % (7000 + rail_ids[site_s] * 10 + (1 if sgn == 1 else 2))
        elif rec.kind == "hub":
            bay = "B" if sgn == 1 else "A"
            rec.stop_id = "TC-" + bay
            rec.name = "Riverton Transit Center Bay %s" % bay
            rec.platform_code = bay
            rec.parent = "TC"
            rec.code = "9001" if bay == "A" else "9002"
        else:
            rec.stop_id = "S%d" % code
            rec.code = "%d" % code
            code += 1
        stops.append(rec)
    # Station (parent) at the centroid of its four children.
    kids = [s for s in stops if s.parent == "TC"]
    assert len(kids) == 4
    cx = sum(s.xy[0] for s in kids) / 4.0
    cy = sum(s.xy[1] for s in kids) / 4.0
    station = StopRec(("station",), "Riverton Transit Center", (cx, cy), "station")
    station.stop_id = "TC"
    station.location_type = 1
    stops.append(station)
    # Accessibility: a few stops without ramp access, a few unknown.
    for rec in stops:
        if rec.stop_id.startswith("S"):
            u = rng.random()
            rec.wheelchair = 2 if u < 0.05 else (0 if u < 0.08 else 1)
    stop_by_id = {s.stop_id: s for s in stops}
    key_to_id = {s.key: s.stop_id for s in stops}
    for (rid, d), p in patterns.items():
        p["stop_ids"] = [key_to_id[k] for k in p["keys"]]

    # ---- shapes ----
    shapes_rows = []
    for r in BUS_ROUTES + [RAIL_ROUTE]:
        for d in (0, 1):
            p = patterns[(r["id"], d)]
            shape_id = "SH%s-%d" % (r["id"], d)
            p["shape_id"] = shape_id
            lls = []
            for (x, y) in p["shape_xy"]:
                la, lo = to_latlon(x, y)
                lls.append((float(fmt_coord(la)), float(fmt_coord(lo))))
            # Stop vertices carry the stop's own rounded coordinates (bus) so they match exactly.
            if p["mode"] == "bus":
                for sid, v in zip(p["stop_ids"], p["stop_vertex"]):
                    lls[v] = (stop_by_id[sid].lat, stop_by_id[sid].lon)
            cum = [0.0]
            for a, b in zip(lls, lls[1:]):
                cum.append(cum[-1] + haversine(a[0], a[1], b[0], b[1]))
            p["shape_ll"] = lls
            p["shape_cum"] = cum
            p["stop_dist"] = [round(cum[v], 1) for v in p["stop_vertex"]]
            p["length_m"] = cum[-1]
            for i, ((la, lo), c) in enumerate(zip(lls, cum)):
                shapes_rows.append([shape_id, fmt_coord(la), fmt_coord(lo), str(i + 1), "%.1f" % c])

    # ---- pattern attributes: base run times, timepoints, holds ----
    transfer_stop_ids = set()
    for site_list in sites.values():
        for site in site_list:
            if site.kind in ("transfer", "hub"):
                for sgn in (1, -1):
                    k = (site.street.name, round(site.s, 1), sgn)
                    if k in key_to_id:
                        transfer_stop_ids.add(key_to_id[k])
    for (rid, d), p in patterns.items():
        ids = p["stop_ids"]
        n = len(ids)
        base = [0.0]
        for i in range(1, n):
            seg_len = p["stop_dist"][i] - p["stop_dist"][i - 1]
            mid = stop_by_id[ids[i]].xy
            v = segment_speed_kmh(mid, p["mode"]) / 3.6
            accel = 14.0 if p["mode"] == "bus" else 20.0
            base.append(base[-1] + seg_len / v + accel)
        p["base"] = base
        if p["mode"] == "bus":
            tp = [False] * n
            tp[0] = tp[-1] = True
            for i in range(n):
                if ids[i] in transfer_stop_ids:
                    tp[i] = True
            last = 0
            for i in range(n):
                if tp[i]:
                    last = i
                elif i - last >= 5 and n - 1 - i >= 2:
                    tp[i] = True
                    last = i
            p["timepoint"] = tp
            p["hold"] = [60 if (ids[i] in transfer_stop_ids and 0 < i < n - 1) else 0 for i in range(n)]
        else:
            p["timepoint"] = [True] * n
            p["hold"] = [30 if 0 < i < n - 1 else 0 for i in range(n)]

    # ---- bus trips ----
    trips = []  # dicts
    stop_times = {}  # trip_id -> list of (arr, dep)
    for r in BUS_ROUTES:
        rid = r["id"]
        for svc, _days in SERVICES:
            first_s, last_s, hws = TIMETABLE[rid][svc]
            periods = {"WKD": WKD_PERIODS, "SAT": SAT_PERIODS, "SUN": SUN_PERIODS}[svc]
            for d in (0, 1):
                p = patterns[(rid, d)]
                t = parse_hm(first_s) + (DIR1_OFFSET_MIN[rid] * 60 if d == 1 else 0)
                t_last = parse_hm(last_s) + (DIR1_OFFSET_MIN[rid] * 60 if d == 1 else 0)
                deps = []
                anchor, anchor_hw, k = t, None, 0
                while t <= t_last:
                    deps.append(t)
                    hour = t / 3600.0
                    hw = None
                    for (a, b), h in zip(periods, hws):
                        if a <= hour < b:
                            hw = h
                    if hw is None:
                        hw = hws[-1]
                    if hw != anchor_hw:
                        anchor, anchor_hw, k = t, hw, 0
                    k += 1
                    t = anchor + int(round(k * hw)) * 60
                for i, t0 in enumerate(deps):
                    prev_gap = (t0 - deps[i - 1]) if i > 0 else (deps[1] - t0 if len(deps) > 1 else 3600)
                    trip_id = "%s-%s-%d-%s" % (rid, svc, d, hms(t0)[:5].replace(":", ""))
                    times = schedule_trip(p, t0)
                    trips.append(dict(trip_id=trip_id, route_id=rid, service_id=svc, direction_id=d,
                                      headsign=r["headsign"][d], shape_id=p["shape_id"], dep=t0,
                                      arr=times[-1][0], gap=prev_gap, pattern=(rid, d)))
                    stop_times[trip_id] = times
    # ---- blocks: per route and service, first-in-first-out at the two terminals ----
    for r in BUS_ROUTES:
        rid = r["id"]
        for svc, _ in SERVICES:
            rtrips = sorted([t for t in trips if t["route_id"] == rid and t["service_id"] == svc],
                            key=lambda t: (t["dep"], t["direction_id"]))
            vehicles = []  # [available_time, terminal, block number]
            for t in rtrips:
                start_term = t["direction_id"]  # terminal 0 = start of dir 0
                end_term = 1 - t["direction_id"]
                best = None
                for v in vehicles:
                    if v[1] == start_term and v[0] <= t["dep"]:
                        if best is None or v[0] < best[0]:
                            best = v
                if best is None:
                    best = [0, start_term, len(vehicles) + 1]
                    vehicles.append(best)
                t["block_id"] = "%s-%s-%02d" % (rid, svc, best[2])
                runtime = t["arr"] - t["dep"]
                layover = max(6 * 60, int(0.12 * runtime))
                best[0] = t["arr"] + layover
                best[1] = end_term
            r.setdefault("fleet", {})[svc] = len(vehicles)
    # ---- rail template trips ----
    rail_trips = []
    for svc, _ in SERVICES:
        for d in (0, 1):
            p = patterns[("RL", d)]
            t0 = parse_hm(RAIL_FREQ[svc][0][0])
            trip_id = "RL-%s-%d-F" % (svc, d)
            times = schedule_trip(p, t0, factor=1.0)
            rail_trips.append(dict(trip_id=trip_id, route_id="RL", service_id=svc, direction_id=d,
                                   headsign=RAIL_ROUTE["headsign"][d], shape_id=p["shape_id"], dep=t0,
                                   arr=times[-1][0], gap=None, pattern=("RL", d), block_id=""))
            stop_times[trip_id] = times

    feed.streets, feed.rail, feed.sites = streets, rail, sites
    feed.stops, feed.stop_by_id, feed.patterns = stops, stop_by_id, patterns
    feed.trips, feed.rail_trips, feed.stop_times = trips, rail_trips, stop_times
    feed.shapes_rows = shapes_rows
    feed.transfer_stop_ids = transfer_stop_ids
    feed.rng = rng

    build_transfers(feed)
    ridership(feed)
    rider_legs(feed)
    write_all(feed, out_dir)
    errors = check(feed, out_dir)
    summary(feed, out_dir)
    if errors:
        for e in errors[:50]:
            print("CHECK FAILED:", e, file=sys.stderr)
        sys.exit(1)


def schedule_trip(p, t0, factor=None):
    """Arrival/departure seconds per stop.  Timepoints on whole minutes, others interpolated."""
    base, hold, tp = p["base"], p["hold"], p["timepoint"]
    n = len(base)
    if factor is None:
        factor = run_time_factor((t0 + base[-1] / 2.0) / 3600.0)
    cont_arr, cont_dep = [], []
    extra = 0.0
    for i in range(n):
        a = t0 + base[i] * factor + extra
        cont_arr.append(a)
        extra += hold[i]
        cont_dep.append(a + hold[i])
    if p["mode"] == "rail":
        return [(int(round(a)), int(round(d))) for a, d in zip(cont_arr, cont_dep)]
    arr = [None] * n
    dep = [None] * n
    for i in range(n):
        if tp[i]:
            a = int(round(cont_arr[i] / 60.0)) * 60
            arr[i] = a
            dep[i] = a + hold[i]
    arr[0] = dep[0] = t0
    tps = [i for i in range(n) if tp[i]]
    for a_i, b_i in zip(tps, tps[1:]):
        ta, tb = dep[a_i], arr[b_i]
        ba, bb = base[a_i], base[b_i]
        for i in range(a_i + 1, b_i):
            f = (base[i] - ba) / (bb - ba)
            v = int(round(ta + f * (tb - ta)))
            arr[i] = dep[i] = v
    for i in range(1, n):
        if arr[i] < dep[i - 1] + 20:
            shift = dep[i - 1] + 20 - arr[i]
            arr[i] += shift
            dep[i] += shift
    return list(zip(arr, dep))


# --------------------------------------------------------------------------------------
# Transfers
# --------------------------------------------------------------------------------------

def build_transfers(feed):
    rows = []
    sb = feed.stop_by_id
    routes_at = {}
    for (rid, d), p in feed.patterns.items():
        for sid in p["stop_ids"]:
            routes_at.setdefault(sid, [])
            if rid not in routes_at[sid]:
                routes_at[sid].append(rid)
    # Hub: bays and platforms.
    hub = ["TC-A", "TC-B", "TC-P1", "TC-P2"]
    for a in hub:
        for b in hub:
            if a == b:
                if a.startswith("TC-P"):
                    continue
                rows.append((a, b, 0, ""))  # recommended transfer point between routes at a bay
                continue
            both_bus = not a.startswith("TC-P") and not b.startswith("TC-P")
            both_rail = a.startswith("TC-P") and b.startswith("TC-P")
            t = 120 if both_bus else (180 if both_rail else 240)
            rows.append((a, b, 2, str(t)))
    # Street transfer points: every pair of stops from different routes at the same forced
    # transfer site group (sites sharing a crossing point or a rail crossing).
    groups = []
    for site_list in list(feed.sites.values()):
        for site in site_list:
            if site.kind != "transfer":
                continue
            ids = []
            for sgn in (1, -1):
                k = (site.street.name, round(site.s, 1), sgn)
                for s in feed.stops:
                    if s.key == k:
                        ids.append(s.stop_id)
            if ids:
                groups.append((site.street.point(site.s), ids))
    rail_pat = feed.patterns[("RL", 0)]["stop_ids"] + feed.patterns[("RL", 1)]["stop_ids"]
    for sid in rail_pat:
        rec = sb[sid]
        if rec.kind == "transfer":
            groups.append((rec.xy, [sid]))
    # Merge groups whose points are within 80 m.
    merged = []
    for pt, ids in groups:
        for m in merged:
            if dist(m[0], pt) < 80.0:
                for i in ids:
                    if i not in m[1]:
                        m[1].append(i)
                break
        else:
            merged.append((pt, list(ids)))
    for pt, ids in merged:
        for a in ids:
            for b in ids:
                if a == b:
                    continue
                ra, rb = routes_at.get(a, []), routes_at.get(b, [])
                if ra == rb:
                    continue
                dd = dist(sb[a].xy, sb[b].xy)
                rail = "RL" in ra or "RL" in rb
                t = 60 * int(math.ceil((60 + dd / 1.0 + (90 if rail else 30)) / 60.0))
                rows.append((a, b, 2, str(t)))
    feed.transfers = rows
    partners = {}
    for a, b, ttype, mtt in rows:
        partners.setdefault(a, []).append((b, int(mtt) if mtt else 60))
    feed.transfer_partners = partners


# --------------------------------------------------------------------------------------
# Demand model and GTFS-ride counts
# --------------------------------------------------------------------------------------

def hw_profile(h):   # home -> work/school/university (morning)
    return 1.0 * g(h, 7.7, 0.65) + 0.05 * g(h, 13.0, 1.5)


def wh_profile(h):   # work/school -> home (afternoon and evening)
    return 0.9 * g(h, 17.1, 0.85) + 0.12 * g(h, 15.0, 0.6) + 0.03 * g(h, 22.0, 1.8)


def other_profile(h):  # shopping, health, leisure: broad daytime plateau, thin at night
    return 0.008 + 0.04 * sigmoid((h - 8.5) * 2.0) * sigmoid((19.0 - h) * 1.5)


def deterrence(d):
    return (1.0 - math.exp(-(d / 1100.0) ** 2)) * math.exp(-d / 6000.0)


def expected_od(feed, p, times, gap_s):
    ids = p["stop_ids"]
    n = len(ids)
    sb = feed.stop_by_id
    P = [population(*sb[s].xy) for s in ids]
    J = [jobs(*sb[s].xy) for s in ids]
    dists = p["stop_dist"]
    h_gap = gap_s / 3600.0
    od = {}
    for i in range(n - 1):
        hour = times[i][1] / 3600.0
        a, b, c = hw_profile(hour), wh_profile(hour), other_profile(hour)
        for j in range(i + 1, n):
            f = deterrence(dists[j] - dists[i])
            lam = (a * P[i] * J[j] + b * J[i] * P[j] + c * (P[i] + J[i]) * (P[j] + J[j])) * f * h_gap
            od[(i, j)] = lam
    return od


def loads_from(od, n):
    board = [0] * n
    alight = [0] * n
    for (i, j), v in od.items():
        board[i] += v
        alight[j] += v
    loads, cur = [], 0
    for k in range(n):
        cur += board[k] - alight[k]
        loads.append(cur)
    return board, alight, loads


def ridership(feed):
    rng = feed.rng
    wk = [t for t in feed.trips if t["service_id"] == "WKD"]
    # Expected OD per trip (scale 1), then a per-route scale so that the peak-period mean of
    # the max load in the busier direction hits the route's target.
    exp = {}
    for t in wk:
        p = feed.patterns[t["pattern"]]
        exp[t["trip_id"]] = expected_od(feed, p, feed.stop_times[t["trip_id"]], t["gap"])
    scales = {}
    for r in BUS_ROUTES:
        best = 0.0
        for d in (0, 1):
            for lo, hi in ((7.0, 9.0), (16.0, 19.0)):
                ml = [max(loads_from(exp[t["trip_id"]], len(feed.patterns[t["pattern"]]["stop_ids"]))[2])
                      for t in wk if t["route_id"] == r["id"] and t["direction_id"] == d
                      and lo * 3600 <= t["dep"] < hi * 3600]
                if ml:
                    best = max(best, sum(ml) / len(ml))
        scales[r["id"]] = r["target"] / best
    veh_of = {r["id"]: VEHICLES[r["vehicle"]] for r in BUS_ROUTES}
    counts = {}  # (date, trip_id) -> {(i, j): n}
    for di, day in enumerate(OBSERVED_DATES):
        for t in wk:
            n = len(feed.patterns[t["pattern"]]["stop_ids"])
            s = scales[t["route_id"]]
            od = {k: v * s for k, v in exp[t["trip_id"]].items()}
            crush = veh_of[t["route_id"]]["crush"]
            peak = max(loads_from(od, n)[2])
            cap_f = min(1.0, (crush * 0.92) / peak) if peak > 0 else 1.0
            noise = DATE_FACTOR[di] * math.exp(rng.gauss(0.0, 0.12)) * cap_f
            realised = {}
            for (i, j) in sorted(od):
                c = poisson(rng, od[(i, j)] * noise)
                if c:
                    realised[(i, j)] = c
            # A full vehicle leaves people behind: drop boardings until the load fits crush.
            while True:
                b, a, loads = loads_from(realised, n)
                over = [k for k in range(n) if loads[k] > crush]
                if not over:
                    break
                k = over[0]
                cands = sorted([key for key in realised if key[0] <= k < key[1]],
                               key=lambda key: (-key[0], key[1]))
                realised[cands[0]] -= 1
                if realised[cands[0]] == 0:
                    del realised[cands[0]]
            counts[(day, t["trip_id"])] = realised
    feed.od_counts = counts
    feed.scales = scales


# --------------------------------------------------------------------------------------
# Rider journeys (GTFS-ride rider_trip.txt), sampled from the counted OD flows
# --------------------------------------------------------------------------------------

RIDER_TYPES = [(0, "General", 0.62), (1, "Senior (65+)", 0.09), (3, "Student (university pass)", 0.13),
               (4, "Youth (6-18)", 0.10), (5, "Disabled", 0.06)]
TARGET_LEGS = 3600


def rider_legs(feed):
    rng = feed.rng
    trip_by_id = {t["trip_id"]: t for t in feed.trips}
    # Pools of still-unassigned counted passengers.
    entries = []  # [date, trip_id, i, j, remaining]
    by_od = {}    # (date, board_stop, alight_stop, route, dir) -> [entry]
    by_board = {}  # (date, board_stop) -> [entry]
    for (day, trip_id), od in feed.od_counts.items():
        t = trip_by_id[trip_id]
        ids = feed.patterns[t["pattern"]]["stop_ids"]
        for (i, j), c in sorted(od.items()):
            e = [day, trip_id, i, j, c]
            entries.append(e)
            by_od.setdefault((day, ids[i], ids[j], t["route_id"], t["direction_id"]), []).append(e)
            by_board.setdefault((day, ids[i]), []).append(e)

    def times_of(e):
        st = feed.stop_times[e[1]]
        return st[e[2]][1], st[e[3]][0]

    def stops_of(e):
        t = trip_by_id[e[1]]
        ids = feed.patterns[t["pattern"]]["stop_ids"]
        return ids[e[2]], ids[e[3]]

    def take(cands, prefer=None):
        cands = [e for e in cands if e[4] > 0]
        if not cands:
            return None
        if prefer is not None:
            cands.sort(key=lambda e: (abs(times_of(e)[0] - prefer), e[1]))
            e = cands[0]
        else:
            e = cands[rng.randrange(len(cands))]
        e[4] -= 1
        return e

    by_key = {s.key: s.stop_id for s in feed.stops}
    opposite_of = {}
    for s in feed.stops:
        if len(s.key) == 3:
            other = by_key.get((s.key[0], s.key[1], -s.key[2]))
            if other is not None:
                opposite_of[s.stop_id] = other

    units = []
    for e in entries:
        units.extend([e] * e[4])
    rng.shuffle(units)
    legs = []  # (rider_no, entry, transfer_status)
    persons = []
    rider_no = 0
    for seed in units:
        if len(legs) >= TARGET_LEGS:
            break
        if seed[4] <= 0:
            continue
        seed[4] -= 1
        rider_no += 1
        day = seed[0]
        journey = [(seed, 0)]
        # Onward transfer at a transfer point.
        a_stop = stops_of(seed)[1]
        t_alight = times_of(seed)[1]
        route = trip_by_id[seed[1]]["route_id"]
        if a_stop in feed.transfer_partners and rng.random() < 0.5:
            cands = []
            # Stops passed on the first leg: the second leg must not double back to them.
            seed_ids = feed.patterns[trip_by_id[seed[1]]["pattern"]]["stop_ids"][seed[2]:seed[3] + 1]
            passed = [feed.stop_by_id[s].xy for s in seed_ids]
            for to_stop, mtt in feed.transfer_partners[a_stop]:
                for e in by_board.get((day, to_stop), []):
                    if trip_by_id[e[1]]["route_id"] == route:
                        continue
                    dest = feed.stop_by_id[stops_of(e)[1]].xy
                    if min(dist(dest, q) for q in passed) < 400.0:
                        continue
                    dep = times_of(e)[0]
                    if t_alight + mtt <= dep <= t_alight + mtt + 20 * 60:
                        cands.append(e)
            e2 = take(cands)
            if e2 is not None:
                journey.append((e2, 1))
        # Return journey (reverse legs, opposite-side stops): later in the day for a morning or
        # midday seed, or an earlier outbound journey for an afternoon/evening seed.
        if rng.random() < 0.75:
            t_first = times_of(journey[0][0])[0]
            t_end = times_of(journey[-1][0])[1]
            if t_first < 14 * 3600:
                lo = t_end + (6 * 3600 if t_first < 10 * 3600 else 3600)
                hi = t_end + 11 * 3600
            else:
                lo, hi = t_first - 11 * 3600, t_first - 2 * 3600
            built = []
            prev_time = None
            for idx, (e, _st) in enumerate(reversed(journey)):
                bs, as_ = stops_of(e)
                ob, oa = opposite_of.get(as_), opposite_of.get(bs)
                tr = trip_by_id[e[1]]
                if ob is None or oa is None:
                    built = None
                    break
                pool = by_od.get((day, ob, oa, tr["route_id"], 1 - tr["direction_id"]), [])
                if idx == 0:
                    window = [x for x in pool if lo <= times_of(x)[0] <= hi]
                else:
                    window = [x for x in pool if prev_time + 120 <= times_of(x)[0] <= prev_time + 25 * 60]
                x = take(window)
                if x is None:
                    for y, _ in built:
                        y[4] += 1
                    built = None
                    break
                built.append((x, 0 if idx == 0 else 1))
                prev_time = times_of(x)[1]
            if built:
                if t_first < 14 * 3600:
                    journey = journey + built
                elif prev_time < t_first - 1800:
                    journey = built + journey
                else:
                    for y, _ in built:
                        y[4] += 1
        day_legs = {day: journey}
        # The same person often repeats the same pattern on the other observed days.
        for other in OBSERVED_DATES:
            if other == day or rng.random() >= 0.6:
                continue
            rep = []
            for e, st in journey:
                bs, as_ = stops_of(e)
                tr = trip_by_id[e[1]]
                pool = by_od.get((other, bs, as_, tr["route_id"], tr["direction_id"]), [])
                t0 = times_of(e)[0]
                window = [x for x in pool if abs(times_of(x)[0] - t0) <= 20 * 60]
                if rep:
                    prev_arr = times_of(rep[-1][0])[1]
                    if st:
                        window = [x for x in window if prev_arr + 120 <= times_of(x)[0] <= prev_arr + 25 * 60]
                    else:
                        window = [x for x in window if times_of(x)[0] >= prev_arr + 1800]
                x = take(window, prefer=t0)
                if x is None:
                    break
                rep.append((x, st))
            if rep:
                day_legs[other] = rep
        u = rng.random()
        acc = 0.0
        rtype = RIDER_TYPES[0]
        for rt in RIDER_TYPES:
            acc += rt[2]
            if u < acc:
                rtype = rt
                break
        media_u = rng.random()
        if rtype[0] == 3:
            media, pass_holder = 7, True
        else:
            media = 7 if media_u < 0.55 else (9 if media_u < 0.85 else 4)
            pass_holder = media == 7 and rtype[0] == 0 and rng.random() < 0.35
        device = 0
        if rtype[0] == 5 and rng.random() < 0.4:
            device = 2
        elif rng.random() < 0.03:
            device = 1
        person = dict(no=rider_no, rtype=rtype, media=media, pass_holder=pass_holder, device=device)
        persons.append(person)
        for day_key in OBSERVED_DATES:
            for e, st in day_legs.get(day_key, []):
                legs.append((person, e, st))
    # Rows
    rows = []
    for person, e, st in legs:
        t = trip_by_id[e[1]]
        ids = feed.patterns[t["pattern"]]["stop_ids"]
        dep, arr = times_of(e)
        b_time = dep + rng.randint(-45, 75)
        a_time = arr + rng.randint(-45, 75)
        if a_time <= b_time + 30:
            a_time = b_time + 30
        rtype = person["rtype"]
        if st == 1:
            tx, fare = (3, 0.0) if person["pass_holder"] else (2, 0.0)
        elif person["pass_holder"]:
            tx, fare = 3, 0.0
        else:
            fare = 1.75 if rtype[0] == 0 else 0.85
            tx = 1 if person["media"] == 7 else 0
        rows.append(dict(rider_id="R%05d" % person["no"], trip_id=e[1], b_stop=ids[e[2]], b_seq=e[2] + 1,
                         a_stop=ids[e[3]], a_seq=e[3] + 1, date=e[0], b_time=b_time, a_time=a_time,
                         rtype=rtype, fare=fare, tx=tx, media=person["media"], device=person["device"],
                         transfer=st))
    # A rider cannot board before stepping off the previous vehicle: keep a minute between legs.
    chains = {}
    for r in rows:
        chains.setdefault((r["rider_id"], r["date"]), []).append(r)
    for key in sorted(chains):
        chain = sorted(chains[key], key=lambda r: r["b_time"])
        for a, b in zip(chain, chain[1:]):
            if b["b_time"] < a["a_time"] + 60:
                b["b_time"] = a["a_time"] + 60
                if b["a_time"] <= b["b_time"] + 30:
                    b["a_time"] = b["b_time"] + 30
    rows.sort(key=lambda r: (r["date"], r["b_time"], r["rider_id"], r["trip_id"]))
    feed.rider_rows = rows
    feed.persons = persons


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def write_csv(out_dir, name, header, rows, counts):
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        n = 0
        for row in rows:
            w.writerow(row)
            n += 1
    counts[name] = n


def write_all(feed, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    for fn in sorted(os.listdir(out_dir)):
        if fn.endswith(".txt"):
            os.remove(os.path.join(out_dir, fn))
    counts = {}
    site = "https://riverton-transit.example.org"
    write_csv(out_dir, "agency.txt",
              ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone",
               "agency_fare_url", "agency_email"],
              [[AGENCY_ID, "Riverton Valley Transit", site + "/", "America/Chicago", "en", "(660) 555-0142",
                site + "/fares", "customer.service@riverton-transit.example.org"]], counts)
    write_csv(out_dir, "feed_info.txt",
              ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date",
               "feed_version", "feed_contact_email", "feed_contact_url"],
              [["Riverton Valley Transit", site + "/developers", "en", ymd(FEED_START), ymd(FEED_END),
                "2026.01.05-synthetic-1", "gtfs@riverton-transit.example.org", site + "/developers/gtfs"]],
              counts)
    route_rows = []
    for k, r in enumerate(BUS_ROUTES + [RAIL_ROUTE]):
        rtype = 0 if r["id"] == "RL" else 3
        route_rows.append([r["id"], AGENCY_ID, r.get("short", r["id"]), r["long"], r["desc"], str(rtype),
                           "%s/routes/%s" % (site, r["id"].lower()), r["color"], r["text"], str(k + 1)])
    write_csv(out_dir, "routes.txt",
              ["route_id", "agency_id", "route_short_name", "route_long_name", "route_desc", "route_type",
               "route_url", "route_color", "route_text_color", "route_sort_order"], route_rows, counts)
    stop_rows = []
    ordered = sorted(feed.stops, key=lambda s: (s.location_type == 0, s.stop_id))
    for s in ordered:
        stop_rows.append([s.stop_id, s.code, s.name, fmt_coord(s.lat), fmt_coord(s.lon), str(s.location_type),
                          s.parent, str(s.wheelchair), s.platform_code])
    write_csv(out_dir, "stops.txt",
              ["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station",
               "wheelchair_boarding", "platform_code"], stop_rows, counts)
    cal_rows = []
    for sid, days in SERVICES:
        cal_rows.append([sid] + [str(x) for x in days] + [ymd(FEED_START), ymd(FEED_END)])
    write_csv(out_dir, "calendar.txt",
              ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
               "start_date", "end_date"], cal_rows, counts)
    cd_rows = []
    for day, removed, added, _name in HOLIDAYS:
        cd_rows.append([removed, ymd(day), "2"])
        cd_rows.append([added, ymd(day), "1"])
    write_csv(out_dir, "calendar_dates.txt", ["service_id", "date", "exception_type"], cd_rows, counts)
    all_trips = feed.trips + feed.rail_trips
    route_order = {r["id"]: k for k, r in enumerate(BUS_ROUTES + [RAIL_ROUTE])}
    svc_order = {"WKD": 0, "SAT": 1, "SUN": 2}
    all_trips.sort(key=lambda t: (route_order[t["route_id"]], svc_order[t["service_id"]], t["direction_id"],
                                  t["dep"]))
    feed.all_trips = all_trips
    trip_rows = [[t["route_id"], t["service_id"], t["trip_id"], t["headsign"], str(t["direction_id"]),
                  t["block_id"], t["shape_id"], "1", "1"] for t in all_trips]
    write_csv(out_dir, "trips.txt",
              ["route_id", "service_id", "trip_id", "trip_headsign", "direction_id", "block_id", "shape_id",
               "wheelchair_accessible", "bikes_allowed"], trip_rows, counts)
    st_rows = []
    for t in all_trips:
        p = feed.patterns[t["pattern"]]
        times = feed.stop_times[t["trip_id"]]
        n = len(times)
        for i, (a, d) in enumerate(times):
            # Regular stops leave pickup_type/drop_off_type empty (= 0, the default).
            pickup = "1" if i == n - 1 else ""
            drop = "1" if i == 0 else ""
            st_rows.append([t["trip_id"], hms(a), hms(d), p["stop_ids"][i], str(i + 1), pickup, drop,
                            "%.1f" % p["stop_dist"][i], "1" if p["timepoint"][i] else "0"])
    write_csv(out_dir, "stop_times.txt",
              ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "pickup_type",
               "drop_off_type", "shape_dist_traveled", "timepoint"], st_rows, counts)
    feed.st_rows = st_rows
    freq_rows = []
    for t in feed.rail_trips:
        for a, b, h in RAIL_FREQ[t["service_id"]]:
            freq_rows.append([t["trip_id"], a, b, str(h), "0"])
    freq_rows.sort(key=lambda r: (r[0], r[1]))
    write_csv(out_dir, "frequencies.txt", ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
              freq_rows, counts)
    shp = sorted(feed.shapes_rows, key=lambda r: (r[0], int(r[3])))
    write_csv(out_dir, "shapes.txt",
              ["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence", "shape_dist_traveled"], shp,
              counts)
    write_csv(out_dir, "transfers.txt", ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
              [[a, b, str(t), m] for a, b, t, m in feed.transfers], counts)
    # ---- GTFS-ride ----
    veh_of = {r["id"]: VEHICLES[r["vehicle"]] for r in BUS_ROUTES}
    veh_of["RL"] = VEHICLES["lrv2"]
    cap_rows = []
    for t in all_trips:
        v = veh_of[t["route_id"]]
        cap_rows.append([AGENCY_ID, t["trip_id"], "", v["desc"], str(v["seated"]), str(v["standing"]),
                         str(v["wheelchair"]), str(v["bike"])])
    write_csv(out_dir, "trip_capacity.txt",
              ["agency_id", "trip_id", "service_date", "vehicle_description", "seated_capacity",
               "standing_capacity", "wheelchair_capacity", "bike_capacity"], cap_rows, counts)
    ba_rows = []
    wk = [t for t in all_trips if t["service_id"] == "WKD" and t["route_id"] != "RL"]
    for day in OBSERVED_DATES:
        for t in wk:
            p = feed.patterns[t["pattern"]]
            n = len(p["stop_ids"])
            b, a, loads = loads_from(feed.od_counts[(day, t["trip_id"])], n)
            v = veh_of[t["route_id"]]
            cap = v["seated"] + v["standing"]
            for i in range(n):
                ba_rows.append([t["trip_id"], p["stop_ids"][i], str(i + 1), "0", "0", str(b[i]), str(a[i]),
                                str(int(round(100.0 * loads[i] / cap))), str(loads[i]), "1", ymd(day), "1"])
    write_csv(out_dir, "board_alight.txt",
              ["trip_id", "stop_id", "stop_sequence", "record_use", "schedule_relationship", "boardings",
               "alightings", "current_load", "load_count", "load_type", "service_date", "source"], ba_rows,
              counts)
    feed.ba_rows = ba_rows
    rt_rows = []
    for r in feed.rider_rows:
        rt_rows.append([r["rider_id"], AGENCY_ID, r["trip_id"], r["b_stop"], str(r["b_seq"]), r["a_stop"],
                        str(r["a_seq"]), ymd(r["date"]), hms(r["b_time"]), hms(r["a_time"]), str(r["rtype"][0]),
                        r["rtype"][1], "%.2f" % r["fare"], str(r["tx"]), str(r["media"]), str(r["device"]),
                        str(r["transfer"])])
    write_csv(out_dir, "rider_trip.txt",
              ["rider_id", "agency_id", "trip_id", "boarding_stop_id", "boarding_stop_sequence",
               "alighting_stop_id", "alighting_stop_sequence", "service_date", "boarding_time", "alighting_time",
               "rider_type", "rider_type_description", "fare_paid", "transaction_type", "fare_media",
               "accompanying_device", "transfer_status"], rt_rows, counts)
    write_csv(out_dir, "ride_feed_info.txt",
              ["ride_files", "ride_start_date", "ride_end_date", "gtfs_feed_date", "default_currency_type",
               "ride_feed_version"],
              [["3", ymd(OBSERVED_DATES[0]), ymd(OBSERVED_DATES[-1]), ymd(FEED_START), "USD",
                "2026.03-apc-1"]], counts)
    feed.counts = counts


# --------------------------------------------------------------------------------------
# Internal consistency checks
# --------------------------------------------------------------------------------------

def read_table(out_dir, name):
    with open(os.path.join(out_dir, name), encoding="utf-8", newline="") as f:
        raw = f.read()
    errs = []
    if raw.startswith("\ufeff"):
        errs.append("%s: BOM" % name)
    if "\r" in raw:
        errs.append("%s: CR line ending" % name)
    if not raw.endswith("\n"):
        errs.append("%s: no final newline" % name)
    rows = list(csv.reader(raw.splitlines()))
    header, body = rows[0], rows[1:]
    for k, r in enumerate(body):
        if len(r) != len(header):
            errs.append("%s:%d: %d fields, header has %d" % (name, k + 2, len(r), len(header)))
    return [dict(zip(header, r)) for r in body], errs


def tsec(text):
    h, m, s = text.split(":")
    return int(h) * 3600 + int(m) * 60 + int(s)


def check(feed, out_dir):
    errs = []
    T = {}
    for fn in sorted(os.listdir(out_dir)):
        if fn.endswith(".txt"):
            T[fn[:-4]], e = read_table(out_dir, fn)
            errs.extend(e)

    def unique(table, cols):
        seen = {}
        for r in T[table]:
            k = tuple(r[c] for c in cols)
            if k in seen:
                errs.append("%s: duplicate key %s" % (table, k))
            seen[k] = True
        return seen

    agencies = unique("agency", ["agency_id"])
    routes = unique("routes", ["route_id"])
    unique("stops", ["stop_id"])
    trips = unique("trips", ["trip_id"])
    unique("stop_times", ["trip_id", "stop_sequence"])
    shapes = {}
    for r in T["shapes"]:
        shapes.setdefault(r["shape_id"], []).append(r)
    unique("shapes", ["shape_id", "shape_pt_sequence"])
    unique("calendar_dates", ["service_id", "date"])
    services = unique("calendar", ["service_id"])
    for r in T["routes"]:
        if (r["agency_id"],) not in agencies:
            errs.append("route %s: agency" % r["route_id"])
        for c in ("route_color", "route_text_color"):
            v = r[c]
            if len(v) != 6 or any(ch not in "0123456789ABCDEFabcdef" for ch in v):
                errs.append("route %s: %s %r" % (r["route_id"], c, v))
    stop_rec = {r["stop_id"]: r for r in T["stops"]}
    for r in T["stops"]:
        if r["parent_station"]:
            par = stop_rec.get(r["parent_station"])
            if par is None or par["location_type"] != "1":
                errs.append("stop %s: parent" % r["stop_id"])
    pos = {}
    for r in T["stops"]:
        k = (r["stop_lat"], r["stop_lon"])
        if k in pos:
            errs.append("stops %s and %s share a position" % (pos[k], r["stop_id"]))
        pos[k] = r["stop_id"]
    for r in T["trips"]:
        if (r["route_id"],) not in routes:
            errs.append("trip %s: route" % r["trip_id"])
        if (r["service_id"],) not in services:
            errs.append("trip %s: service" % r["trip_id"])
        if r["shape_id"] not in shapes:
            errs.append("trip %s: shape" % r["trip_id"])
    st_by_trip = {}
    for r in T["stop_times"]:
        if (r["trip_id"],) not in trips:
            errs.append("stop_time: trip %s" % r["trip_id"])
        s = stop_rec.get(r["stop_id"])
        if s is None or s["location_type"] != "0":
            errs.append("stop_time %s: stop %s" % (r["trip_id"], r["stop_id"]))
        st_by_trip.setdefault(r["trip_id"], []).append(r)
    used_routes = {r["route_id"]: 1 for r in T["trips"]}
    for r in T["routes"]:
        if r["route_id"] not in used_routes:
            errs.append("route %s has no trips" % r["route_id"])
    used_stops = {r["stop_id"]: 1 for r in T["stop_times"]}
    for r in T["stops"]:
        if r["location_type"] == "0" and r["stop_id"] not in used_stops:
            errs.append("stop %s unused" % r["stop_id"])
    used_shapes = {r["shape_id"]: 1 for r in T["trips"]}
    for sid in shapes:
        if sid not in used_shapes:
            errs.append("shape %s unused" % sid)
    # Shapes: monotone distance, no duplicate consecutive points, point spacing.
    shape_ll = {}
    for sid, pts in shapes.items():
        pts.sort(key=lambda r: int(r["shape_pt_sequence"]))
        prev = None
        ll = []
        for r in pts:
            d = float(r["shape_dist_traveled"])
            if prev is not None and d <= prev:
                errs.append("shape %s: distance not increasing at %s" % (sid, r["shape_pt_sequence"]))
            prev = d
            ll.append((float(r["shape_pt_lat"]), float(r["shape_pt_lon"]), d))
        for a, b in zip(ll, ll[1:]):
            step = haversine(a[0], a[1], b[0], b[1])
            if step > 200.0:
                errs.append("shape %s: %.0f m between points" % (sid, step))
            if abs((b[2] - a[2]) - step) > 0.5:
                errs.append("shape %s: shape_dist_traveled disagrees with geometry" % sid)
        shape_ll[sid] = ll
    trip_shape = {r["trip_id"]: r["shape_id"] for r in T["trips"]}

    def dist_to_shape(sid, lat, lon):
        best = 1e18
        for a, b in zip(shape_ll[sid], shape_ll[sid][1:]):
            ax = (a[1] - LON0) * M_PER_DEG_LON
            ay = (a[0] - LAT0) * M_PER_DEG_LAT
            bx = (b[1] - LON0) * M_PER_DEG_LON
            by = (b[0] - LAT0) * M_PER_DEG_LAT
            px = (lon - LON0) * M_PER_DEG_LON
            py = (lat - LAT0) * M_PER_DEG_LAT
            vx, vy = bx - ax, by - ay
            t = max(0.0, min(1.0, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)))
            best = min(best, math.hypot(px - ax - t * vx, py - ay - t * vy))
        return best

    checked_pattern = {}
    for tid, rows in st_by_trip.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        if len(rows) < 2:
            errs.append("trip %s has %d stop_times" % (tid, len(rows)))
        if rows[0]["stop_sequence"] != "1":
            errs.append("trip %s: stop_sequence does not start at 1" % tid)
        prev_t, prev_d = -1, -1.0
        for r in rows:
            a, d = tsec(r["arrival_time"]), tsec(r["departure_time"])
            if a < prev_t or d < a:
                errs.append("trip %s: time decreases at seq %s" % (tid, r["stop_sequence"]))
            prev_t = d
            sd = float(r["shape_dist_traveled"])
            if sd <= prev_d:
                errs.append("trip %s: shape_dist_traveled not increasing" % tid)
            prev_d = sd
        sig = (trip_shape[tid], tuple(r["stop_id"] for r in rows))
        if sig in checked_pattern:
            continue
        checked_pattern[sig] = True
        sid = trip_shape[tid]
        if float(rows[-1]["shape_dist_traveled"]) > shape_ll[sid][-1][2] + 0.05:
            errs.append("trip %s: beyond shape length" % tid)
        for r in rows:
            s = stop_rec[r["stop_id"]]
            dd = dist_to_shape(sid, float(s["stop_lat"]), float(s["stop_lon"]))
            if dd > 30.0:
                errs.append("stop %s is %.1f m from shape %s" % (r["stop_id"], dd, sid))
            # Also the point at the stop's shape_dist_traveled must be near the stop.
            sd = float(r["shape_dist_traveled"])
            ll = shape_ll[sid]
            for a, b in zip(ll, ll[1:]):
                if a[2] <= sd <= b[2]:
                    f = (sd - a[2]) / (b[2] - a[2]) if b[2] > a[2] else 0.0
                    la = a[0] + f * (b[0] - a[0])
                    lo = a[1] + f * (b[1] - a[1])
                    gap = haversine(la, lo, float(s["stop_lat"]), float(s["stop_lon"]))
                    if gap > 6.0:
                        errs.append("stop %s: %.1f m from its shape_dist_traveled point" % (r["stop_id"], gap))
                    break
    for r in T["frequencies"]:
        if (r["trip_id"],) not in trips:
            errs.append("frequency: trip %s" % r["trip_id"])
    for r in T["transfers"]:
        for c in ("from_stop_id", "to_stop_id"):
            if r[c] not in stop_rec:
                errs.append("transfer: %s %s" % (c, r[c]))
    unique("transfers", ["from_stop_id", "to_stop_id"])
    # Blocks: no overlaps.
    blocks = {}
    for r in T["trips"]:
        if r["block_id"]:
            rows = st_by_trip[r["trip_id"]]
            blocks.setdefault((r["block_id"], r["service_id"]), []).append(
                (tsec(rows[0]["departure_time"]), tsec(rows[-1]["arrival_time"]), r["trip_id"]))
    for k, lst in blocks.items():
        lst.sort()
        for a, b in zip(lst, lst[1:]):
            if b[0] < a[1]:
                errs.append("block %s: %s overlaps %s" % (k, a[2], b[2]))
    # GTFS-ride: loads conserve, never negative, end at 0; FKs.
    trip_st = {tid: {r["stop_sequence"]: r for r in rows} for tid, rows in st_by_trip.items()}
    ba = {}
    for r in T["board_alight"]:
        if r["trip_id"] not in trip_st or r["stop_sequence"] not in trip_st[r["trip_id"]]:
            errs.append("board_alight: bad trip/seq %s %s" % (r["trip_id"], r["stop_sequence"]))
            continue
        if trip_st[r["trip_id"]][r["stop_sequence"]]["stop_id"] != r["stop_id"]:
            errs.append("board_alight: stop mismatch %s %s" % (r["trip_id"], r["stop_sequence"]))
        ba.setdefault((r["service_date"], r["trip_id"]), []).append(r)
    for k, rows in ba.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        load = 0
        for r in rows:
            load += int(r["boardings"]) - int(r["alightings"])
            if load < 0 or load != int(r["load_count"]):
                errs.append("board_alight %s: load inconsistent at %s" % (k, r["stop_sequence"]))
        if load != 0:
            errs.append("board_alight %s: ends with load %d" % (k, load))
    wk_trips = [r["trip_id"] for r in T["trips"] if r["service_id"] == "WKD" and r["route_id"] != "RL"]
    for day in OBSERVED_DATES:
        for tid in wk_trips:
            if (ymd(day), tid) not in ba:
                errs.append("board_alight: no counts for %s on %s" % (tid, ymd(day)))
    # Rider legs: on real trips, stops in order, times near schedule, within counted flows.
    used = {}
    for r in T["rider_trip"]:
        st = trip_st.get(r["trip_id"])
        if st is None:
            errs.append("rider_trip: trip %s" % r["trip_id"])
            continue
        b, a = st.get(r["boarding_stop_sequence"]), st.get(r["alighting_stop_sequence"])
        if b is None or a is None or b["stop_id"] != r["boarding_stop_id"] or a["stop_id"] != r["alighting_stop_id"]:
            errs.append("rider_trip %s: stop/sequence mismatch" % r["rider_id"])
            continue
        if int(r["boarding_stop_sequence"]) >= int(r["alighting_stop_sequence"]):
            errs.append("rider_trip %s: alights before boarding" % r["rider_id"])
        if abs(tsec(r["boarding_time"]) - tsec(b["departure_time"])) > 120:
            errs.append("rider_trip %s: boarding time off schedule" % r["rider_id"])
        if abs(tsec(r["alighting_time"]) - tsec(a["arrival_time"])) > 120:
            errs.append("rider_trip %s: alighting time off schedule" % r["rider_id"])
        k = (r["service_date"], r["trip_id"], r["boarding_stop_sequence"], r["alighting_stop_sequence"])
        used[k] = used.get(k, 0) + 1
    counted = {}
    for (day, tid), od in feed.od_counts.items():
        for (i, j), c in od.items():
            counted[(ymd(day), tid, str(i + 1), str(j + 1))] = c
    for k, c in used.items():
        if c > counted.get(k, 0):
            errs.append("rider_trip: %d legs on %s but only %d counted" % (c, k, counted.get(k, 0)))
    return errs


# --------------------------------------------------------------------------------------
# Summary (printed; the README quotes it)
# --------------------------------------------------------------------------------------

def summary(feed, out_dir):
    print("# Riverton Valley Transit sample feed written to %s" % os.path.relpath(out_dir, os.getcwd()))
    print()
    print("| file | rows | bytes |")
    print("|---|---:|---:|")
    total = 0
    for fn in sorted(feed.counts):
        size = os.path.getsize(os.path.join(out_dir, fn))
        total += size
        print("| %s | %d | %d |" % (fn, feed.counts[fn], size))
    print("| total | | %d |" % total)
    print()
    print("| route | stops (dir 0/1) | length km (dir 0) | WKD trips | SAT | SUN | vehicles WKD/SAT/SUN | "
          "WKD headways (min) |")
    print("|---|---|---:|---:|---:|---:|---|---|")
    for r in BUS_ROUTES:
        p0, p1 = feed.patterns[(r["id"], 0)], feed.patterns[(r["id"], 1)]
        n = {svc: len([t for t in feed.trips if t["route_id"] == r["id"] and t["service_id"] == svc])
             for svc in ("WKD", "SAT", "SUN")}
        hw = TIMETABLE[r["id"]]["WKD"][2]
        print("| %s %s | %d/%d | %.1f | %d | %d | %d | %d/%d/%d | %s |" % (
            r["id"], r["long"], len(p0["stop_ids"]), len(p1["stop_ids"]), p0["length_m"] / 1000.0,
            n["WKD"], n["SAT"], n["SUN"], r["fleet"]["WKD"], r["fleet"]["SAT"], r["fleet"]["SUN"],
            " / ".join(("%g" % h) for h in hw)))
    p0 = feed.patterns[("RL", 0)]
    print("| RL Riverline | %d/%d | %.1f | frequency-based | | | | 15/7.5/12/7.5/15/20 |" % (
        len(p0["stop_ids"]), len(feed.patterns[("RL", 1)]["stop_ids"]), p0["length_m"] / 1000.0))
    print()
    # Ridership
    trip_by_id = {t["trip_id"]: t for t in feed.trips}
    print("Average weekday over the %d observed dates.  Max load = highest departing load on a trip; "
          "columns give the mean over the trips departing in that window (d0/d1 = direction)." % len(OBSERVED_DATES))
    print()
    print("| route | vehicle cap | boardings/day | AM 07-09 max load d0/d1 | PM 16-19 d0/d1 | base 10-14 | "
          "evening 19+ | busiest hour (mean max load) | trip-days over cap | highest |")
    print("|---|---:|---:|---|---|---:|---:|---|---:|---:|")
    grand = 0
    for r in BUS_ROUTES:
        v = VEHICLES[r["vehicle"]]
        cap = v["seated"] + v["standing"]
        tot, over, n_td, highest = 0, 0, 0, 0
        per, hourly = {}, {}
        for (day, tid), od in feed.od_counts.items():
            t = trip_by_id[tid]
            if t["route_id"] != r["id"]:
                continue
            n = len(feed.patterns[t["pattern"]]["stop_ids"])
            b, a, loads = loads_from(od, n)
            tot += sum(b)
            m = max(loads)
            highest = max(highest, m)
            n_td += 1
            over += 1 if m > cap else 0
            h = t["dep"] / 3600.0
            band = ("am" if 7 <= h < 9 else "pm" if 16 <= h < 19 else "base" if 10 <= h < 14
                    else "eve" if h >= 19 else "other")
            per.setdefault((band, t["direction_id"]), []).append(m)
            per.setdefault((band, None), []).append(m)
            hourly.setdefault((int(h), t["direction_id"]), []).append(m)

        def avg(k, src=per):
            lst = src.get(k, [])
            return sum(lst) / len(lst) if lst else 0.0
        hk = max(sorted(hourly), key=lambda k: avg(k, hourly))
        grand += tot
        print("| %s | %d | %d | %.0f / %.0f | %.0f / %.0f | %.0f | %.0f | %02d:00 d%d: %.0f | %d (%.0f%%) | %d |" % (
            r["id"], cap, tot / len(OBSERVED_DATES), avg(("am", 0)), avg(("am", 1)), avg(("pm", 0)),
            avg(("pm", 1)), avg(("base", None)), avg(("eve", None)), hk[0], hk[1], avg(hk, hourly), over,
            100.0 * over / n_td, highest))
    print()
    print("System: %d boardings per observed weekday (bus routes; the Riverline has no counts)." % (
        grand / len(OBSERVED_DATES)))
    served = {}
    for (rid, d), p in feed.patterns.items():
        for sid in p["stop_ids"]:
            served.setdefault(sid, [])
            if rid not in served[sid]:
                served[sid].append(rid)
    shared = [s for s, lst in served.items() if len(lst) > 1]
    print("Stops served by more than one route: %d of %d (%s)" % (
        len(shared), len(served), ", ".join(sorted(shared)[:12]) + (", ..." if len(shared) > 12 else "")))
    print()
    legs = feed.rider_rows
    riders = {}
    for r in legs:
        riders.setdefault(r["rider_id"], []).append(r)
    multi_day = len([k for k, v in riders.items() if len({x["date"] for x in v}) > 1])
    transfers = len([r for r in legs if r["transfer"] == 1])
    print("rider_trip: %d legs, %d riders, %d riders seen on more than one day, %d transfer legs" % (
        len(legs), len(riders), multi_day, transfers))
    print("route scales (demand multipliers):", ", ".join("%s=%.3f" % (k, v) for k, v in feed.scales.items()))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: gtfs/sample-city)")
    args = ap.parse_args()
    generate(os.path.abspath(args.out))


if __name__ == "__main__":
    main()
