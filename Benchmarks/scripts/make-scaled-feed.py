#!/usr/bin/env python3
"""Make a GTFS feed FACTOR times larger by repeating every row with prefixed identifiers.

usage: python3 make-scaled-feed.py FEED.zip FACTOR OUT.zip

Copy k (k = 0 .. FACTOR-1) of every row gets "c<k>_" put in front of each non-empty value
in an identifier column (stop_id, trip_id, route_id, service_id, shape_id, agency_id,
parent_station, block_id, zone_id, fare_id, ...: the table ID_COLUMNS below lists them for
each standard GTFS file), so the copies never collide and every reference still resolves
inside its own copy. Headers are written once. FACTOR 1 gives the same feed with "c0_" on
every identifier, which is the like-for-like baseline to compare a larger factor with.

Kept as they are:
  * every row's other fields, quoting and line ending, byte for byte (copied per row),
    including columns this script does not know;
  * files that are not standard GTFS tables (copied once, byte for byte);
  * feed_info.txt (one row by definition) and translations.txt rows that match by
    field_value rather than record_id (they apply to every copy): written once;
  * a feed with a single agency keeps it single: agency.txt is written once and agency_id
    is not prefixed anywhere (routes.txt may then leave agency_id out, as GTFS allows;
    ten agencies would make it required on every route).
locations.geojson: every feature is repeated with its "id" prefixed.

Python 3 standard library only. Deterministic: the same input and FACTOR give a
byte-identical OUT.zip (entries keep the input's order and timestamps, fixed deflate level).
OUT.zip is written to a temporary name beside it and renamed into place at the end.
"""
import io
import json
import os
import re
import sys
import zipfile

# Identifier columns (IDs and references to IDs) of each standard GTFS file.
ID_COLUMNS = {
    "agency.txt": {"agency_id"},
    "stops.txt": {"stop_id", "zone_id", "parent_station", "level_id"},
    "routes.txt": {"route_id", "agency_id", "network_id"},
    "trips.txt": {"trip_id", "route_id", "service_id", "block_id", "shape_id"},
    "stop_times.txt": {"trip_id", "stop_id", "location_group_id", "location_id",
                       "pickup_booking_rule_id", "drop_off_booking_rule_id"},
    "calendar.txt": {"service_id"},
    "calendar_dates.txt": {"service_id"},
    "fare_attributes.txt": {"fare_id", "agency_id"},
    "fare_rules.txt": {"fare_id", "route_id", "origin_id", "destination_id", "contains_id"},
    "timeframes.txt": {"timeframe_group_id", "service_id"},
    "rider_categories.txt": {"rider_category_id"},
    "fare_media.txt": {"fare_media_id"},
    "fare_products.txt": {"fare_product_id", "rider_category_id", "fare_media_id"},
    "fare_leg_rules.txt": {"leg_group_id", "network_id", "from_area_id", "to_area_id",
                           "from_timeframe_group_id", "to_timeframe_group_id", "fare_product_id"},
    "fare_leg_join_rules.txt": {"from_network_id", "to_network_id", "from_stop_id", "to_stop_id"},
    "fare_transfer_rules.txt": {"from_leg_group_id", "to_leg_group_id", "fare_product_id"},
    "areas.txt": {"area_id"},
    "stop_areas.txt": {"area_id", "stop_id"},
    "networks.txt": {"network_id"},
    "route_networks.txt": {"network_id", "route_id"},
    "shapes.txt": {"shape_id"},
    "frequencies.txt": {"trip_id"},
    "transfers.txt": {"from_stop_id", "to_stop_id", "from_route_id", "to_route_id",
                      "from_trip_id", "to_trip_id"},
    "pathways.txt": {"pathway_id", "from_stop_id", "to_stop_id"},
    "levels.txt": {"level_id"},
    "location_groups.txt": {"location_group_id"},
    "location_group_stops.txt": {"location_group_id", "stop_id"},
    "booking_rules.txt": {"booking_rule_id", "prior_notice_service_id"},
    # record_id names a row of the table in table_name by its ID (record_sub_id is a
    # stop_sequence, not an ID).
    "translations.txt": {"record_id"},
    "attributions.txt": {"attribution_id", "agency_id", "route_id", "trip_id"},
}

# Files whose rows are written once whatever the factor.
SINGLETON_FILES = {"feed_info.txt"}

DEFLATE_LEVEL = 6


def usage(message=None):
    if message:
        print(f"make-scaled-feed.py: {message}", file=sys.stderr)
    print("usage: python3 make-scaled-feed.py FEED.zip FACTOR OUT.zip", file=sys.stderr)
    sys.exit(2)


def out_info(src: zipfile.ZipInfo) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(src.filename, date_time=src.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whatever machine runs this
    return info


# One CSV field as written (quoted with "" escapes, or bare), then its delimiter.
FIELD = re.compile(r'("(?:[^"]|"")*"|[^,\r\n]*)(,|\r\n|\n|\r|$)')


def split_record(record: str):
    """Splits one record (its line ending removed) into its fields exactly as written."""
    if '"' not in record:
        return record.split(",")
    fields, pos = [], 0
    while True:
        m = FIELD.match(record, pos)
        fields.append(m.group(1))
        if m.group(2) != ",":
            return fields
        pos = m.end()


def bare(field: str) -> str:
    """A field's value: quotes removed, "" unescaped, spaces trimmed."""
    f = field.strip()
    if len(f) >= 2 and f[0] == '"' and f[-1] == '"':
        f = f[1:-1].replace('""', '"').strip()
    return f


def prefixed(field: str, p: str) -> str:
    if not bare(field):
        return field  # an empty reference stays empty
    if field[:1] == '"':
        return '"' + p + field[1:]
    return p + field


def records(text: str):
    """Yields (record without line ending, line ending) for every line of `text`, joining the
    lines of a quoted field that spans lines (an odd count of quotes so far)."""
    pending = None
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        end = line[len(body):]
        if pending is not None:
            body, end = pending + body, end
        if body.count('"') % 2 == 1 and end:
            pending = body + end
            continue
        pending = None
        yield body, end
    if pending is not None:
        yield pending, ""


def scale_csv(raw: bytes, name: str, factor: int, out, shared=frozenset()) -> int:
    """Writes the header of the table in `raw`, then `factor` copies of its rows with prefixed
    identifiers, each row otherwise byte for byte as it was, to the binary stream `out`;
    returns the number of data rows written. Columns in `shared` are not prefixed."""
    # A BOM stays in the header, as it was; bytes that are not UTF-8 pass through unchanged.
    text = raw.decode("utf-8", "surrogateescape")
    recs = list(records(text))
    if not recs:
        out.write(raw)
        return 0
    (head, head_end), body = recs[0], recs[1:]
    terminator = head_end or "\r\n"
    header = [bare(h).lstrip("\ufeff").strip() for h in split_record(head)]
    ids = ID_COLUMNS.get(name, set()) - shared
    id_idx = [i for i, h in enumerate(header) if h in ids]
    copies = 1 if name in SINGLETON_FILES or (name == "agency.txt" and shared) else factor

    rows = []  # (fields, line ending) of each data line; blank lines kept as they are
    for rec, end in body:
        rows.append((split_record(rec) if rec.strip() else None, rec, end or terminator))
    once = []
    if name == "translations.txt":
        # Rows keyed by field_value (no record_id) apply to every copy: keep them once.
        r = header.index("record_id") if "record_id" in header else None
        keep = []
        for row in rows:
            f = row[0]
            if f is not None and (r is None or r >= len(f) or not bare(f[r])):
                once.append(row)
            else:
                keep.append(row)
        rows = keep

    out.write((head + terminator).encode("utf-8", "surrogateescape"))
    written = 0
    for k in range(copies):
        p = f"c{k}_"
        chunk = []
        for fields, rec, end in rows:
            if fields is None or not id_idx:
                chunk.append(rec + end)
                continue
            f = list(fields)
            for i in id_idx:
                if i < len(f):
                    f[i] = prefixed(f[i], p)
            chunk.append(",".join(f) + end)
        out.write("".join(chunk).encode("utf-8", "surrogateescape"))
        written += sum(1 for row in rows if row[0] is not None)
    out.write("".join(rec + end for _, rec, end in once).encode("utf-8", "surrogateescape"))
    written += len(once)
    return written


def scale_geojson(raw: bytes, factor: int) -> bytes:
    doc = json.loads(raw.decode("utf-8-sig"))
    features = doc.get("features", [])
    out = []
    for k in range(factor):
        for f in features:
            g = json.loads(json.dumps(f))
            if g.get("id") not in (None, ""):
                g["id"] = f"c{k}_{g['id']}"
            out.append(g)
    doc["features"] = out
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogateescape")


def main(argv):
    if len(argv) != 4:
        usage()
    src, factor_text, dst = argv[1], argv[2], argv[3]
    try:
        factor = int(factor_text)
    except ValueError:
        usage(f"FACTOR must be a whole number, not {factor_text!r}")
    if factor < 1:
        usage("FACTOR must be at least 1")
    if not zipfile.is_zipfile(src):
        usage(f"{src} is not a zip archive")

    tmp = f"{dst}.tmp-{os.getpid()}"
    total = 0
    try:
        with zipfile.ZipFile(src) as zin, \
             zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=DEFLATE_LEVEL) as zout:
            # One agency stays one agency (see the top of this file).
            shared = frozenset()
            agency = [i for i in zin.infolist() if i.filename.rsplit("/", 1)[-1] == "agency.txt"]
            if agency:
                text = zin.read(agency[0]).decode("utf-8", "surrogateescape")
                if sum(1 for rec, _ in records(text) if rec.strip()) == 2:  # header + one row
                    shared = frozenset({"agency_id"})
            for info in zin.infolist():
                if info.is_dir():
                    continue
                base = info.filename.rsplit("/", 1)[-1]
                raw = zin.read(info)
                if base in ID_COLUMNS or base in SINGLETON_FILES:
                    # Zip64 only when the entry could pass 2 GiB (readers without it still work).
                    big = len(raw) * factor * 1.2 >= zipfile.ZIP64_LIMIT
                    with zout.open(out_info(info), "w", force_zip64=big) as out:
                        rows = scale_csv(raw, base, factor, out, shared)
                    total += rows
                    print(f"  {info.filename}: {rows} rows", file=sys.stderr)
                elif base == "locations.geojson":
                    zout.writestr(out_info(info), scale_geojson(raw, factor),
                                  compresslevel=DEFLATE_LEVEL)
                    print(f"  {info.filename}: features x{factor}", file=sys.stderr)
                else:
                    zout.writestr(out_info(info), raw, compresslevel=DEFLATE_LEVEL)
                    print(f"  {info.filename}: copied unchanged", file=sys.stderr)
        os.replace(tmp, dst)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    print(f"wrote {dst}: x{factor}, {total} data rows, {os.path.getsize(dst)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
