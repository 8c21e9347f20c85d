#!/usr/bin/env python3
"""Writes the fuzz seed corpora in Fuzz/Corpus/<Target>/ from the shipped sample city and tiny
cuts (a few lines of a few files) of the shared feeds' broken cases. Run from the repository
root: `python3 Fuzz/make-corpus.py [SHARED_DIR]`. Seeds are small (a few KB each); the shared
feeds are never copied whole. The seeds are committed: run this only to regenerate them."""
import io, json, os, struct, sys, zipfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRANSIT_SHARED_DIR", os.path.join(root, "..", "shared"))
broken = os.path.join(shared, "gtfs-feeds", "broken")
sample = os.path.join(root, "gtfs", "sample-city")
out = os.path.join(root, "Fuzz", "Corpus")

def head(path, lines):
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(lines))

def cut_zip(zip_path, lines):
    """name -> first `lines` lines of each member of a (small) shared zip."""
    files = {}
    if not os.path.exists(zip_path):
        return files
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            if info.is_dir() or info.file_size > 100_000:
                continue
            data = z.read(info.filename)
            files[info.filename] = b"".join(data.splitlines(keepends=True)[:lines])
    return files

def write(target, name, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)

SAMPLE_LINES = {"agency.txt": 3, "calendar.txt": 3, "calendar_dates.txt": 3, "feed_info.txt": 2, "routes.txt": 3,
                "trips.txt": 4, "stops.txt": 6, "stop_times.txt": 8, "shapes.txt": 5, "frequencies.txt": 3,
                "transfers.txt": 3}
sample_cut = {n: head(os.path.join(sample, n), k) for n, k in SAMPLE_LINES.items()}
broken_names = ["bad_eol", "utf16", "utf8bom", "contains_null", "bad_utf8", "extra_row_cells", "missing_row_cells",
                "duplicate_stop_sequence", "negative_stop_sequence", "bad_date_format", "missing_column"]
broken_cuts = {n: cut_zip(os.path.join(broken, f"transitfeed-{n}.zip"), 4) for n in broken_names}
broken_cuts["example-errors"] = cut_zip(os.path.join(broken, "transitland-example-errors.zip"), 4)

def zip_bytes(files, method=zipfile.ZIP_DEFLATED, zip64=False, prefix=""):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for n, data in files.items():
            with z.open(zipfile.ZipInfo(prefix + n, (2020, 1, 1, 0, 0, 0)), "w", force_zip64=zip64) as f:
                f.write(data)
    return b.getvalue()

# FuzzZip: archives of cut feeds, deflated and stored, ZIP64, a sub-folder, junk, empty.
small = {n: sample_cut[n] for n in ["agency.txt", "calendar.txt", "routes.txt", "stops.txt"]}
write("FuzzZip", "deflate.zip", zip_bytes(small))
write("FuzzZip", "stored.zip", zip_bytes(small, zipfile.ZIP_STORED))
write("FuzzZip", "zip64.zip", zip_bytes({"stops.txt": sample_cut["stops.txt"]}, zip64=True))
write("FuzzZip", "subfolder.zip", zip_bytes({"agency.txt": sample_cut["agency.txt"], "__MACOSX/._agency.txt": b"\0\5\x16\7"}, prefix="feed/"))
write("FuzzZip", "empty.zip", zip_bytes({}))
write("FuzzZip", "utf16.zip", zip_bytes({k: v for k, v in broken_cuts["utf16"].items() if k in ("stops.txt", "agency.txt")}))

# FuzzTable: byte 0 picks the file (0 stop_times, 1 trips, 2 stops, 3 calendar, 8 routes, 9 calendar_dates, 10 shapes).
pick = {"stop_times.txt": 0, "trips.txt": 1, "stops.txt": 2, "calendar.txt": 3, "routes.txt": 8,
        "calendar_dates.txt": 9, "shapes.txt": 10, "frequencies.txt": 11, "transfers.txt": 12, "agency.txt": 13}
for n in ["stop_times.txt", "trips.txt", "stops.txt", "calendar.txt", "shapes.txt"]:
    write("FuzzTable", "sample-" + n, bytes([pick[n]]) + sample_cut[n])
for case in ["bad_eol", "utf16", "utf8bom", "contains_null", "bad_utf8", "extra_row_cells"]:
    for n in ["stops.txt", "stop_times.txt"]:
        if n in broken_cuts[case]:
            write("FuzzTable", f"{case}-{n}", bytes([pick[n]]) + broken_cuts[case][n])
write("FuzzTable", "quoted-stops.txt", bytes([2]) + b'stop_id,stop_name,stop_lat,stop_lon,parent_station\r\n"S1","Main ""St"", north",1.5,2.5,\r\n"S2","a\nb",0,0,S1\r\n')
write("FuzzTable", "issue17-stops.txt", bytes([2]) + b"stop_id,parent_station\n,P\n")

# FuzzFeed: whole feeds, files after `#FILE name` lines.
def feed(files):
    return b"".join(b"#FILE " + n.encode() + b"\n" + d for n, d in files.items())
write("FuzzFeed", "sample.feed", feed({n: sample_cut[n] for n in ["agency.txt", "calendar.txt", "routes.txt", "trips.txt", "stops.txt", "stop_times.txt"]}))
write("FuzzFeed", "sample-more.feed", feed({n: sample_cut[n] for n in ["agency.txt", "calendar_dates.txt", "feed_info.txt", "shapes.txt", "frequencies.txt", "transfers.txt", "trips.txt"]}))
for case in ["bad_eol", "utf8bom", "duplicate_stop_sequence", "negative_stop_sequence", "bad_date_format", "missing_column", "example-errors"]:
    if broken_cuts[case]:
        write("FuzzFeed", case + ".feed", feed(broken_cuts[case]))
write("FuzzFeed", "subfolder.feed", feed({"gtfs/agency.txt": sample_cut["agency.txt"], "gtfs/stops.txt": sample_cut["stops.txt"], "notes.txt": b"hello\n"}))
write("FuzzFeed", "issue17.feed", b"#FILE stops.txt\nstop_id,parent_station\n,P\n")

# FuzzFeedLarge: byte 0 the file (0 stop_times, 1 stops, 2 trips, 3 shapes), bytes 1-2 the phase, header, body.
write("FuzzFeedLarge", "stop_times", b"\0\x07\0" + sample_cut["stop_times.txt"])
write("FuzzFeedLarge", "stops-quoted", b"\1\x20\0" + b'stop_id,stop_name,stop_lat,stop_lon\r\n"S1","a ""b"",\nc",1,2\r\nS2,\xc3\xa9t\xc3\xa9,3,4\r\n')
write("FuzzFeedLarge", "shapes", b"\3\0\1" + sample_cut["shapes.txt"])
write("FuzzFeedLarge", "trips", b"\2\x11\0" + sample_cut["trips.txt"])

# FuzzTripLog: byte 0 bits: 0-1 the file name (0 log.csv, 1 log.jsonl, 2 rider_trip.txt), 2 pseudonymize, 3 force CSV.
logs = os.path.join(root, "gtfs", "sample-city-logs")
write("FuzzTripLog", "trips.csv", b"\0" + head(os.path.join(logs, "trips.csv"), 8))
write("FuzzTripLog", "trips-pseudo.csv", b"\4" + head(os.path.join(logs, "trips.csv"), 4))
write("FuzzTripLog", "trips.jsonl", b"\1" + head(os.path.join(logs, "trips.jsonl"), 6))
write("FuzzTripLog", "rider_trip.txt", b"\2" + head(os.path.join(sample, "rider_trip.txt"), 5))
write("FuzzTripLog", "quoted.csv", b"\0" + b'event_id,source,rider_id,mode,distance_m,start_time,end_time,o_lat,o_lon,d_lat,d_lon\r\n"e,1",app,"R""1",bike,1200,2026-01-06T08:00:00Z,2026-01-06T08:10:00Z,,,,\r\ne2,app,R2,walk,,2026-01-06T08:00:00+01:00,2026-01-06T08:20:00+01:00,41.1,-8.6,41.11,-8.61\r\n')

# FuzzPlan: the plan JSON.
plan = {"date": "2026-03-10", "status": "optimal",
        "periods": [{"period": "07:00-09:00", "fleet": 75, "vehicles": 12}, {"period": "09:00-16:00", "fleet": None, "vehicles": 8}],
        "plan": [{"route_id": "1", "direction_id": 0, "period": "07:00-09:00", "headway_s": 300, "vehicles": 12},
                 {"route_id": "1", "direction_id": 1, "period": "09:00-16:00", "headway_s": 600, "vehicles": 8}]}
write("FuzzPlan", "plan.json", json.dumps(plan).encode())
write("FuzzPlan", "lenient.json", b'{"date": "2026-03-10", "feed": 7, "periods": [{"period": "07:00-09:00", "fleet": 75.9, "vehicles": true}], "plan": [{"route_id": "1", "direction_id": 1.0, "period": "07:00-09:00", "headway_s": 300.7, "vehicles": "many"}]}')
write("FuzzPlan", "late.json", b'{"date":"2026-02-29","periods":[{"period":"23:00-25:30"}],"plan":[{"route_id":"\\u00e9","direction_id":0,"period":"23:00-25:30","headway_s":86400}]}')

# FuzzRidership: byte 0 even: board_alight.txt; 1 (mod 4): a load table; 3 (mod 4): taps.
write("FuzzRidership", "board_alight.txt", b"\0" + head(os.path.join(sample, "board_alight.txt"), 12))
write("FuzzRidership", "load-table.csv", b"\1" + b'period,max_load,"route_id",direction_id,boardings,passenger_km\r\n"07:00-09:00",612,1,0,1480,5210.5\r\n09:00-16:00,"40",1,1,1.5e2,\r\n')
write("FuzzRidership", "taps.csv", b"\3" + head(os.path.join(root, "gtfs", "sample-city-taps", "taps.csv"), 40))
write("FuzzRidership", "taps.jsonl", b"\3" + b'{"tap_id":"a","card_id":"c","tap_time":"2026-03-10T07:31:05-05:00","route_id":"1","stop_id":"S1003"}\n'
      b'{"tap_id":"b","card_id":"c","tap_time":"2026-03-10T17:02:00-05:00","route_id":"1","lat":41.59,"lon":-93.6}\n')

# FuzzModel: byte 0 even: CPLEX LP; odd: free MPS.
write("FuzzModel", "model.lp", b"\0" + b"""\\* plan *\\
Maximize
 obj: 3 x + 2 y + 0 z
Subject To
 c1: x + y <= 4
 c2: x + 3 y >= -2
 c3: - x + z = 1
Bounds
 0 <= x <= 3
 y >= -1.5
 z free
General
 x
Binary
 b
End
""")
write("FuzzModel", "model.mps", b"\1" + b"""NAME plan
OBJSENSE
    MAX
ROWS
 N obj
 L c1
 G c2
 E c3
COLUMNS
 M1 'MARKER' 'INTORG'
 x obj 3 c1 1
 x c2 1 c3 -1
 M2 'MARKER' 'INTEND'
 y obj 2 c1 1
 y c2 3
RHS
 RHS c1 4 c2 -2
 RHS c3 1
RANGES
 RNG c1 2
BOUNDS
 UP BND x 3
 MI BND y
 BV BND z
ENDATA
""")

# FuzzServiceBodies: byte 0: 0 trips JSON, 1 trips NDJSON, 2 redemption, 3 reversal.
jl = head(os.path.join(logs, "trips.jsonl"), 3).splitlines()
write("FuzzServiceBodies", "trips.json", b"\0" + b'{"trips": [' + b",".join(jl) + b"]}")
write("FuzzServiceBodies", "trips.ndjson", b"\1" + b"\n".join(jl) + b"\n")
write("FuzzServiceBodies", "redemption.json", b"\2" + b'{"rider_id": "R000048", "points": 10, "reference": "order-1", "reason": "coffee"}')
write("FuzzServiceBodies", "reversal.json", b"\3" + b'{"event_id": "g2-0", "source": "synthetic", "reason": "refund"}')
print("corpus written to", out)
