#!/usr/bin/env python3
"""Runs gtfs-guru (a reimplementation of MobilityData's canonical GTFS validator) on one feed and
prints its notices as JSON: [{code, severity, file, row, field, context}, ...].

    .venv-tools/bin/python scripts/guru-notices.py FEED YYYYMMDD [COUNTRY]

`row` is the notice's csvRowNumber (or the first row-number property it has): the 1-based row of
the file, header = 1. The agreement test (Tests/GTFSTests) compares these with
`transit gtfs validate --format json`.
"""
import json
import sys

import gtfs_guru


# Codes whose offending row is not the first row-number property in name order.
ROW_KEYS = {"duplicate_route_name": "csvRowNumber2", "unsorted_stop_times": "startCsvRowNumber"}


def row_of(code, context):
    if code in ROW_KEYS and ROW_KEYS[code] in context:
        return context[ROW_KEYS[code]]
    if "csvRowNumber" in context:
        return context["csvRowNumber"]
    for key in sorted(context):
        if key.lower().endswith("csvrownumber") or key.lower().endswith("csvrownumber1"):
            return context[key]
    return None


def file_of(context):
    for key in ("filename", "childFilename", "tableName"):
        if key in context:
            return context[key]
    return None


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    path, day = sys.argv[1], sys.argv[2]
    date = f"{day[0:4]}-{day[4:6]}-{day[6:8]}"
    kwargs = {"date": date}
    if len(sys.argv) > 3:
        kwargs["country_code"] = sys.argv[3]
    result = gtfs_guru.validate(path, **kwargs)
    out = []
    for n in result.notices:
        context = n.context()
        out.append({
            "code": n.code,
            "severity": str(n.severity).lower(),
            "file": file_of(context),
            "row": row_of(n.code, context),
            "field": context.get("fieldName"),
            "context": context,
        })
    json.dump(out, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
