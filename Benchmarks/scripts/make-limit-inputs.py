#!/usr/bin/env python3
"""Makes one hostile input for Benchmarks/scripts/scaling.sh (issue 17, "linear time, bounded memory").

    make-limit-inputs.py CASE SCALE OUT

CASE is one of:
  long-line      a GTFS folder whose stops.txt has one unquoted stop_desc of SCALE x 4 MiB (no commas, no quotes)
  quoted-field   the same, the value quoted and holding commas, doubled quotes and line breaks
  many-columns   a GTFS folder whose stops.txt header has SCALE x 128 Ki columns, and one row of as many
  zip-bomb       a feed .zip whose stop_times.txt inflates from about SCALE x 64 KiB to SCALE x 64 MiB (1000x)
  long-id        a CSV trip log: one record whose event_id is SCALE x 4 MiB, then a normal record
OUT is a folder (created) for the GTFS cases, a file for zip-bomb and long-id.
Inputs are made from nothing (no shared data), so the script runs anywhere with python3.
"""
import os
import sys
import zipfile
import zlib

MIB = 1 << 20
AGENCY = "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://example.com,Europe/Vilnius\n"


def folder(out, stops):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "agency.txt"), "w") as f:
        f.write(AGENCY)
    with open(os.path.join(out, "stops.txt"), "wb") as f:
        stops(f)


def long_line(out, scale):
    def stops(f):
        f.write(b"stop_id,stop_name,stop_lat,stop_lon,stop_desc\n")
        f.write(b"S1,First,54.68,25.28,")
        chunk = b"abcdefghij" * (MIB // 10)
        for _ in range(4 * scale):
            f.write(chunk)
        f.write(b"\nS2,Second,54.69,25.29,short\n")
    folder(out, stops)


def quoted_field(out, scale):
    def stops(f):
        f.write(b"stop_id,stop_name,stop_lat,stop_lon,stop_desc\n")
        f.write(b'S1,First,54.68,25.28,"')
        piece = b'a,b ""quoted"" c\n'  # commas, doubled quotes and line breaks inside quotes
        chunk = piece * (MIB // len(piece))
        for _ in range(4 * scale):
            f.write(chunk)
        f.write(b'"\nS2,Second,54.69,25.29,short\n')
    folder(out, stops)


def many_columns(out, scale):
    n = 128 * 1024 * scale
    def stops(f):
        f.write(b"stop_id,stop_name,stop_lat,stop_lon")
        f.write(b"".join(b",x%d" % i for i in range(n)))
        f.write(b"\nS1,First,54.68,25.28")
        f.write(b",v" * n)
        f.write(b"\n")
    folder(out, stops)


def zip_bomb(out, scale):
    header = b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    size = 64 * MIB * scale
    blank = b"\n" * MIB
    crc = zlib.crc32(header)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [comp.compress(header)]
    left = size - len(header)
    while left > 0:
        piece = blank[:min(left, MIB)]
        crc = zlib.crc32(piece, crc)
        parts.append(comp.compress(piece))
        left -= len(piece)
    parts.append(comp.flush())
    data = b"".join(parts)
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("agency.txt", AGENCY)
    # Append the bomb entry by hand (zipfile would inflate nothing, but writing it raw keeps memory small).
    with zipfile.ZipFile(out, "a") as z:
        info = zipfile.ZipInfo("stop_times.txt")
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as w:
            left = size
            w.write(header)
            left -= len(header)
            while left > 0:
                piece = blank[:min(left, MIB)]
                w.write(piece)
                left -= len(piece)
    print(f"{out}: {os.path.getsize(out)} bytes, stop_times.txt inflates to {size} bytes "
          f"({size / max(1, len(data)):.0f}x)", file=sys.stderr)


def long_id(out, scale):
    with open(out, "wb") as f:
        f.write(b"event_id,source,rider_id,mode,start_time,end_time,distance_m\n")
        f.write(b"e")
        chunk = b"0123456789" * (MIB // 10)
        for _ in range(4 * scale):
            f.write(chunk)
        f.write(b",app,R1,walk,2026-01-06T13:44:47+02:00,2026-01-06T13:52:36+02:00,626\n")
        f.write(b"e2,app,R2,walk,2026-01-06T14:44:47+02:00,2026-01-06T14:52:36+02:00,700\n")


CASES = {"long-line": long_line, "quoted-field": quoted_field, "many-columns": many_columns,
         "zip-bomb": zip_bomb, "long-id": long_id}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in CASES:
        sys.exit(__doc__)
    CASES[sys.argv[1]](sys.argv[3], int(sys.argv[2]))
