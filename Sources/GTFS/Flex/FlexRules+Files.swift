/// The GTFS-Flex rules that read several files together.
extension FlexRules {
    // MARK: References

    /// `foreign_key_violation` for a stop_times.txt `location_id` that no feature of
    /// `locations.geojson` has (every one of them when the feed has no such file).
    static func locationReferences(_ whole: Whole, into report: inout ValidationReport) {
        guard let t = whole.table(stopTimes), whole.locationsUsable, let column = t.strings("location_id") else { return }
        let known = Set(whole.locations?.features.map(\.id) ?? [])
        var verdict: [Int32: Bool] = [:]
        for r in 0..<t.rowCount {
            let code = column.codes[r]
            guard code >= 0, let id = column[r] else { continue }
            let ok: Bool
            if let v = verdict[code] { ok = v } else { ok = known.contains(id); verdict[code] = ok }
            if ok { continue }
            report.add(Finding(.error, "foreign_key_violation", file: t.name, line: line(t, r), field: "location_id", value: id,
                               message: "location_id '\(id)' is not the id of a feature of locations.geojson"))
        }
    }

    // MARK: Geography ids

    /// `duplicate_geography_id`: an id used by more than one of stops.txt `stop_id`,
    /// location_groups.txt `location_group_id` and the `id` of a locations.geojson feature.
    /// Repeats within one file are `duplicate_key` / `duplicate_geo_json_key` instead.
    static func geographyIDs(_ whole: Whole, into report: inout ValidationReport) {
        guard whole.locationsUsable, whole.usable("stops.txt"), whole.usable("location_groups.txt") else { return }
        let groups = whole.feed.table("location_groups.txt")
        let features = whole.locations?.features ?? []
        guard (groups?.rowCount ?? 0) > 0 || !features.isEmpty else { return }
        let stops = whole.feed.table("stops.txt")
        func firstRows(_ t: Table?, _ field: String) -> [String: Int] {
            guard let t, let s = t.strings(field) else { return [:] }
            var rows: [String: Int] = [:]
            for r in 0..<t.rowCount { if let v = s[r], rows[v] == nil { rows[v] = r } }
            return rows
        }
        let stopRows = firstRows(stops, "stop_id"), groupRows = firstRows(groups, "location_group_id")
        var featureIndex: [String: Int] = [:]
        for f in features where featureIndex[f.id] == nil { featureIndex[f.id] = f.index }
        var ids = Array(Set(stopRows.keys).intersection(groupRows.keys).union(Set(featureIndex.keys).intersection(stopRows.keys)))
        ids += featureIndex.keys.filter { groupRows[$0] != nil && stopRows[$0] == nil }
        // Report in file order: stops.txt rows, then location_groups.txt rows.
        ids.sort { a, b in
            let ka = stopRows[a].map { (0, $0) } ?? (1, groupRows[a] ?? 0)
            let kb = stopRows[b].map { (0, $0) } ?? (1, groupRows[b] ?? 0)
            return ka < kb
        }
        for id in ids {
            var places: [String] = []
            if let r = stopRows[id], let stops { places.append("stops.txt line \(line(stops, r) ?? 0)") }
            if let r = groupRows[id], let groups { places.append("location_groups.txt line \(line(groups, r) ?? 0)") }
            if let i = featureIndex[id] { places.append("locations.geojson feature \(i)") }
            let (file, row): (String, Int?) = if let r = stopRows[id], let stops { ("stops.txt", line(stops, r)) }
                else if let r = groupRows[id], let groups { ("location_groups.txt", line(groups, r)) }
                else { (LocationsFile.name, nil) }
            report.add(Finding(.error, "duplicate_geography_id", file: file, line: row, field: file == "location_groups.txt" ? "location_group_id" : "stop_id",
                               value: id, message: "'\(id)' names several places (\(places.joined(separator: ", "))); stop, location group and zone ids must all differ"))
        }
    }

    // MARK: Zones

    /// `overlapping_zone_and_pickup_drop_off_window`: two stop times of one trip at different
    /// GeoJSON locations, with the same `pickup_type` or the same `drop_off_type`, whose
    /// windows overlap and whose zones overlap (their interiors meet, neither contains the
    /// other). Reported at the later row of the pair.
    static func overlappingZones(_ whole: Whole, into report: inout ValidationReport) {
        guard let locations = whole.locations, locations.usable, let t = whole.table(stopTimes),
              hasRequiredColumns(t), let locationColumn = t.strings("location_id"),
              t.column("start_pickup_drop_off_window") != nil, t.column("end_pickup_drop_off_window") != nil else { return }
        let c = StopTimeColumns(t)
        let zones = locations.byID
        let tripNames = whole.feed.ids(.trip)
        let index = whole.feed.stopTimeIndex
        let zoneByCode = locationColumn.values.map { zones[$0] }
        var budget = WorkBudget(remaining: 50_000_000)
        var cache: [Int64: Bool] = [:]
        func overlap(_ a: Int32, _ b: Int32) -> Bool {
            let key = Int64(min(a, b)) << 32 | Int64(max(a, b))
            if let v = cache[key] { return v }
            var v = false
            if Int(a) < zoneByCode.count, Int(b) < zoneByCode.count, let za = zoneByCode[Int(a)], let zb = zoneByCode[Int(b)],
               !za.parts.isEmpty, !zb.parts.isEmpty {
                v = Planar.overlaps(za.parts, zb.parts, budget: &budget)
            }
            cache[key] = v
            return v
        }
        for trip in 0..<Int32(tripNames.count) {
            let rows = index.rows(ofTrip: trip).map(Int.init).filter { r in
                locationColumn.codes[r] >= 0 && c.start[r] >= 0 && c.end[r] >= 0 && !rowHasError(t, r)
            }
            guard rows.count > 1 else { continue }
            for i in 0..<rows.count {
                let a = rows[i]
                for j in (i + 1)..<rows.count {
                    let b = rows[j]
                    guard c.pickupType(a) == c.pickupType(b) || c.dropOffType(a) == c.dropOffType(b),
                          locationColumn.codes[a] != locationColumn.codes[b],
                          c.start[a] < c.end[b], c.end[a] > c.start[b],
                          overlap(locationColumn.codes[a], locationColumn.codes[b]) else { continue }
                    let (first, second) = a < b ? (a, b) : (b, a)
                    let idA = locationColumn[first] ?? "", idB = locationColumn[second] ?? ""
                    report.add(Finding(.error, "overlapping_zone_and_pickup_drop_off_window", file: t.name, line: line(t, second),
                                       field: "location_id", value: idB,
                                       message: "trip '\(tripNames[Int(trip)])' serves the overlapping zones '\(idA)' (line \(line(t, first) ?? 0)) and '\(idB)' in overlapping windows with the same pickup or drop-off type, so riders cannot tell which applies; make the zones or the windows disjoint"))
                }
            }
        }
    }

    // MARK: Routes

    /// `forbidden_continuous_pickup_drop_off`: a route with `continuous_pickup` or
    /// `continuous_drop_off` 0, 2 or 3 whose trips have stop times with a pickup/drop-off
    /// window; one finding per such stop time, at the route's row.
    static func continuousRoutes(_ whole: Whole, into report: inout ValidationReport) {
        guard let routes = whole.table("routes.txt"), let trips = whole.table("trips.txt"), let st = whole.table(stopTimes),
              routes.column("continuous_pickup") != nil || routes.column("continuous_drop_off") != nil,
              st.column("start_pickup_drop_off_window") != nil || st.column("end_pickup_drop_off_window") != nil else { return }
        let pickup = routes.integersOr("continuous_pickup"), dropOff = routes.integersOr("continuous_drop_off")
        let routeIDs = routes.codesOrEmpty("route_id")
        var routeRow: [Int32: Int] = [:]
        for r in 0..<routes.rowCount where routeIDs[r] >= 0 && routeRow[routeIDs[r]] == nil {
            let continuous = [0, 2, 3].contains(pickup[r]) || [0, 2, 3].contains(dropOff[r])
            if continuous { routeRow[routeIDs[r]] = r }
        }
        guard !routeRow.isEmpty else { return }
        let start = st.timesOrEmpty("start_pickup_drop_off_window"), end = st.timesOrEmpty("end_pickup_drop_off_window")
        let tripRoute = trips.codesOrEmpty("route_id"), tripIDs = trips.codesOrEmpty("trip_id")
        let tripNames = whole.feed.ids(.trip), routeNames = whole.feed.ids(.route)
        for r in 0..<trips.rowCount {
            guard let row = routeRow[tripRoute[r]], tripIDs[r] >= 0 else { continue }
            for s in whole.feed.stopTimeIndex.rows(ofTrip: tripIDs[r]) where start[Int(s)] >= 0 || end[Int(s)] >= 0 {
                let route = routeNames[Int(tripRoute[r])]
                report.add(Finding(.error, "forbidden_continuous_pickup_drop_off", file: routes.name, line: line(routes, row),
                                   field: pickup[row] == 0 || pickup[row] == 2 || pickup[row] == 3 ? "continuous_pickup" : "continuous_drop_off",
                                   value: route,
                                   message: "route '\(route)' allows continuous pickup or drop-off, but its trip '\(tripNames[Int(tripIDs[r])])' has a pickup/drop-off window (stop_times.txt line \(line(st, Int(s)) ?? 0)); set continuous_pickup and continuous_drop_off to 1 or empty"))
            }
        }
    }

    // MARK: Coordinates

    /// `point_near_origin` / `point_near_pole` for the coordinates of stops.txt and shapes.txt,
    /// as the canonical validator checks every latitude/longitude pair (the zones of
    /// locations.geojson are checked as they are read): within 1° of (0, 0), or at 89° of
    /// latitude or more. Rows that reading found defective are skipped.
    static func coordinates(_ whole: Whole, into report: inout ValidationReport) {
        let feed = whole.feed
        for (file, lat, lon, key) in [("stops.txt", "stop_lat", "stop_lon", "stop_id"),
                                      ("shapes.txt", "shape_pt_lat", "shape_pt_lon", "shape_id")] {
            guard let t = feed.table(file), let lats = t.reals(lat), let lons = t.reals(lon) else { continue }
            let keys = t.strings(key)
            for r in 0..<t.rowCount {
                let y = lats[r], x = lons[r]
                guard !x.isNaN, !y.isNaN else { continue }
                let origin = abs(y) <= 1 && abs(x) <= 1, pole = abs(y) >= 89
                guard origin || pole, !whole.rowHasError(t, r) else { continue }
                let id = keys?[r] ?? ""
                let position = "(\(formatReal(y)), \(formatReal(x)))"
                if origin {
                    report.add(Finding(.error, "point_near_origin", file: t.name, line: line(t, r), field: lat, value: id,
                                       message: "'\(id)' lies at \(position), next to latitude 0, longitude 0: the coordinates are probably missing or zero; give the real position"))
                }
                if pole {
                    report.add(Finding(.error, "point_near_pole", file: t.name, line: line(t, r), field: lat, value: id,
                                       message: "'\(id)' lies at \(position), next to a pole: latitude and longitude are probably swapped"))
                }
            }
        }
    }

    // MARK: Stops

    /// `location_with_unexpected_stop_time`: a stop_times.txt `stop_id` naming a location that
    /// is not a stop or platform (`location_type` other than 0); one finding per location.
    static func unexpectedStopTimes(_ whole: Whole, into report: inout ValidationReport) {
        guard let stops = whole.table("stops.txt"), let st = whole.table(stopTimes), whole.usable("location_group_stops.txt"),
              let types = stops.integers("location_type") else { return }
        let ids = stops.codesOrEmpty("stop_id")
        let names = stops.strings("stop_name")
        let count = whole.feed.ids(.stop).count
        var firstUse = [Int32](repeating: -1, count: count)
        for (r, code) in st.codesOrEmpty("stop_id").enumerated() where code >= 0 && Int(code) < count && firstUse[Int(code)] < 0 {
            firstUse[Int(code)] = Int32(r)
        }
        for r in 0..<stops.rowCount {
            let type = types[r] == Column.missingInteger ? 0 : types[r]
            guard type != 0, ids[r] >= 0, Int(ids[r]) < count, firstUse[Int(ids[r])] >= 0 else { continue }
            let id = whole.feed.ids(.stop)[Int(ids[r])]
            let name = names?[r].map { " (\($0))" } ?? ""
            report.add(Finding(.error, "location_with_unexpected_stop_time", file: stops.name, line: line(stops, r), field: "stop_id", value: id,
                               message: "'\(id)'\(name) has location_type \(type), but stop_times.txt (line \(line(st, Int(firstUse[Int(ids[r])])) ?? 0)) serves it; only stops and platforms (location_type 0) have stop times"))
        }
    }

    /// Marks, in `used` (indexed by stop code), the stops of location groups that stop_times.txt
    /// serves, which the canonical validator counts as stops with stop times
    /// (`stop_without_stop_time`).
    static func markGroupMembers(_ feed: Feed, _ used: inout [Bool]) {
        guard let members = feed.table("location_group_stops.txt"),
              let served = feed.table(stopTimes)?.strings("location_group_id")?.codes else { return }
        var groups = Set<Int32>()
        for g in served where g >= 0 { groups.insert(g) }
        guard !groups.isEmpty else { return }
        let group = members.codesOrEmpty("location_group_id"), stop = members.codesOrEmpty("stop_id")
        for r in 0..<members.rowCount where groups.contains(group[r]) && stop[r] >= 0 && Int(stop[r]) < used.count {
            used[Int(stop[r])] = true
        }
    }
}
