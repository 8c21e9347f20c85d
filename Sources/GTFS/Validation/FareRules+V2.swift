/// The Fares v2 rules of ``FareRules``: transfer rules, timeframes, fare media, rider
/// categories, networks and leg join rules.
extension FareRules {
    // MARK: Transfer rules

    /// Per row of fare_transfer_rules.txt: `fare_transfer_rule_duration_limit_without_type`,
    /// `fare_transfer_rule_duration_limit_type_without_duration_limit`, and for transfer_count:
    /// within one leg group (from_leg_group_id = to_leg_group_id, both given) it is required
    /// (`fare_transfer_rule_without_transfer_count`) and must be -1 or at least 1
    /// (`fare_transfer_rule_invalid_transfer_count`); otherwise it is forbidden
    /// (`fare_transfer_rule_with_forbidden_transfer_count`).
    static func transferRules(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("fare_transfer_rules.txt") else { return }
        let from = t.codesOrEmpty("from_leg_group_id"), to = t.codesOrEmpty("to_leg_group_id")
        let count = t.integersOr("transfer_count"), limit = t.integersOr("duration_limit"), limitType = t.integersOr("duration_limit_type")
        let countColumn = t.column("transfer_count"), limitColumn = t.column("duration_limit"), typeColumn = t.column("duration_limit_type")
        /// Whether row `r` gives a value, parsed or not.
        func has(_ values: [Int32], _ column: Column?, _ r: Int) -> Bool {
            values[r] != Column.missingInteger || column?.unparsed[Int32(r)] != nil
        }
        for r in 0..<t.rowCount {
            let hasLimit = has(limit, limitColumn, r), hasType = has(limitType, typeColumn, r)
            if hasLimit && !hasType {
                report.add(Finding(.error, "fare_transfer_rule_duration_limit_without_type", file: t.name, line: line(t, r), field: "duration_limit_type",
                                   message: "duration_limit is given without duration_limit_type; say from which leg event to which the limit is measured"))
            } else if hasType && !hasLimit {
                report.add(Finding(.error, "fare_transfer_rule_duration_limit_type_without_duration_limit", file: t.name, line: line(t, r), field: "duration_limit",
                                   message: "duration_limit_type is given without duration_limit; give the limit in seconds or remove the type"))
            }
            let hasCount = has(count, countColumn, r)
            let text = countColumn?.text(row: r) ?? ""
            if from[r] >= 0 && from[r] == to[r] {
                if !hasCount {
                    let group = name(feed, .legGroup, from[r])
                    report.add(Finding(.error, "fare_transfer_rule_without_transfer_count", file: t.name, line: line(t, r), field: "transfer_count",
                                       message: "a transfer within leg group '\(group)' needs transfer_count (-1 for unlimited, or the number of transfers allowed)"))
                } else if count[r] != Column.missingInteger && (count[r] < -1 || count[r] == 0) {
                    report.add(Finding(.error, "fare_transfer_rule_invalid_transfer_count", file: t.name, line: line(t, r), field: "transfer_count", value: text,
                                       message: "transfer_count \(text) is not allowed; use -1 for unlimited transfers or a number of at least 1"))
                }
            } else if hasCount {
                report.add(Finding(.error, "fare_transfer_rule_with_forbidden_transfer_count", file: t.name, line: line(t, r), field: "transfer_count", value: text,
                                   message: "transfer_count is only allowed for transfers within one leg group (from_leg_group_id equal to to_leg_group_id); remove it"))
            }
        }
    }

    // MARK: Timeframes

    /// The last time of day a timeframe may give (24:00:00).
    static let dayEnd: Int32 = 24 * 3600

    /// Per row of timeframes.txt: `timeframe_only_start_or_end_time_specified`,
    /// `timeframe_start_or_end_time_greater_than_twenty_four_hours` (one per field),
    /// `start_and_end_range_out_of_order` and `start_and_end_range_equal` (start_time must be
    /// before end_time). On the whole file: `timeframe_overlap`, for two timeframes of one
    /// group and service that overlap, in start-time order (an empty time counts as 00:00:00).
    static func timeframes(_ feed: Feed, whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = feed.table("timeframes.txt") else { return }
        let start = t.timesOrEmpty("start_time"), end = t.timesOrEmpty("end_time")
        let startColumn = t.column("start_time"), endColumn = t.column("end_time")
        for r in 0..<t.rowCount {
            let hasStart = start[r] >= 0 || startColumn?.unparsed[Int32(r)] != nil
            let hasEnd = end[r] >= 0 || endColumn?.unparsed[Int32(r)] != nil
            if hasStart != hasEnd {
                report.add(Finding(.error, "timeframe_only_start_or_end_time_specified", file: t.name, line: line(t, r),
                                   field: hasStart ? "end_time" : "start_time",
                                   message: "give both start_time and end_time, or neither for the whole day"))
            }
            for (field, v) in [("start_time", start[r]), ("end_time", end[r])] where v > dayEnd {
                report.add(Finding(.error, "timeframe_start_or_end_time_greater_than_twenty_four_hours", file: t.name, line: line(t, r),
                                   field: field, value: GTFSTime.format(v),
                                   message: "\(field) \(GTFSTime.format(v)) is after 24:00:00; a timeframe covers one day, so split it at midnight"))
            }
            guard start[r] >= 0, end[r] >= 0 else { continue }
            if start[r] > end[r] {
                report.add(Finding(.error, "start_and_end_range_out_of_order", file: t.name, line: line(t, r), field: "end_time",
                                   value: GTFSTime.format(end[r]),
                                   message: "end_time \(GTFSTime.format(end[r])) is before start_time \(GTFSTime.format(start[r]))"))
            } else if start[r] == end[r] {
                report.add(Finding(.error, "start_and_end_range_equal", file: t.name, line: line(t, r), field: "end_time",
                                   value: GTFSTime.format(end[r]),
                                   message: "start_time and end_time are both \(GTFSTime.format(end[r])); the timeframe is empty"))
            }
        }
        guard whole.table(t.name) != nil else { return }
        let groups = t.codesOrEmpty("timeframe_group_id"), services = t.codesOrEmpty("service_id")
        struct Key: Hashable { let group: Int32, service: Int32 }
        var order: [Key] = []
        var rows: [Key: [Int]] = [:]
        for r in 0..<t.rowCount {
            let key = Key(group: groups[r], service: services[r])
            if rows[key] == nil { order.append(key) }
            rows[key, default: []].append(r)
        }
        func time(_ v: [Int32], _ r: Int) -> Int32 { max(0, v[r]) }
        for key in order {
            guard let members = rows[key], members.count > 1 else { continue }
            let sorted = members.sorted { a, b in
                time(start, a) != time(start, b) ? time(start, a) < time(start, b)
                    : (time(end, a) != time(end, b) ? time(end, a) < time(end, b) : a < b)
            }
            for i in 1..<sorted.count {
                let prev = sorted[i - 1], curr = sorted[i]
                guard time(start, curr) < time(end, prev) else { continue }
                let group = name(feed, .timeframeGroup, key.group), service = name(feed, .service, key.service)
                report.add(Finding(.error, "timeframe_overlap", file: t.name, line: line(t, curr), field: "start_time",
                                   value: GTFSTime.format(time(start, curr)),
                                   message: "timeframe group '\(group)' of service '\(service)' starts at \(GTFSTime.format(time(start, curr))), before its timeframe of line \(line(t, prev) ?? 0) ends at \(GTFSTime.format(time(end, prev))); timeframes of one group and service must not overlap"))
            }
        }
    }

    // MARK: Fare media

    /// The fare media types riders recognise by name: transit card (2) and mobile app (4).
    static let namedMediaTypes: Set<Int32> = [2, 4]

    /// `missing_recommended_field`: a transit card or mobile app without fare_media_name.
    /// `duplicate_fare_media` (whole file): two fare media with the same name and type,
    /// reported on the first one's row, once per later duplicate.
    static func fareMedia(_ feed: Feed, whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = feed.table("fare_media.txt") else { return }
        let names = t.codesOrEmpty("fare_media_name"), types = t.integersOr("fare_media_type"), ids = t.codesOrEmpty("fare_media_id")
        for r in 0..<t.rowCount where names[r] < 0 && namedMediaTypes.contains(types[r]) {
            let medium = name(feed, .fareMedia, ids[r])
            report.add(Finding(.warning, "missing_recommended_field", file: t.name, line: line(t, r), field: "fare_media_name",
                               message: "fare medium '\(medium)' is a \(types[r] == 2 ? "transit card" : "mobile app") without fare_media_name; name it as riders know it"))
        }
        guard whole.table(t.name) != nil else { return }
        struct Key: Hashable { let name: Int32, type: Int32 }
        var first: [Key: Int] = [:]
        for r in 0..<t.rowCount {
            let key = Key(name: names[r], type: types[r])
            guard let earlier = first[key] else { first[key] = r; continue }
            let a = name(feed, .fareMedia, ids[earlier]), b = name(feed, .fareMedia, ids[r])
            report.add(Finding(.warning, "duplicate_fare_media", file: t.name, line: line(t, earlier), field: "fare_media_name", value: a,
                               message: "fare media '\(a)' and '\(b)' (line \(line(t, r) ?? 0)) have the same name and type; riders cannot tell them apart, so merge them or name them differently"))
        }
    }

    // MARK: Rider categories

    /// `fare_product_with_multiple_default_rider_categories`: the rows of one fare product
    /// name two or more rider categories marked is_default_fare_category = 1. One notice per
    /// product, on the row of its first default category.
    static func defaultRiderCategories(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        let feed = whole.feed
        guard let products = whole.table("fare_products.txt"), let categories = whole.table("rider_categories.txt") else { return }
        let count = feed.definedCount(.riderCategory)
        var isDefault = [Bool](repeating: false, count: count)
        var seen = [Bool](repeating: false, count: count)
        let ids = categories.codesOrEmpty("rider_category_id"), flags = categories.integersOr("is_default_fare_category")
        for r in 0..<categories.rowCount where ids[r] >= 0 && Int(ids[r]) < count && !seen[Int(ids[r])] {
            seen[Int(ids[r])] = true
            isDefault[Int(ids[r])] = flags[r] == 1
        }
        let product = products.codesOrEmpty("fare_product_id"), category = products.codesOrEmpty("rider_category_id")
        var defaults: [Int32: [(row: Int, category: Int32)]] = [:]
        var order: [Int32] = []
        for r in 0..<products.rowCount {
            let p = product[r], c = category[r]
            guard p >= 0, c >= 0, Int(c) < count, isDefault[Int(c)] else { continue }
            var list = defaults[p] ?? []
            guard !list.contains(where: { $0.category == c }) else { continue }
            if list.isEmpty { order.append(p) }
            list.append((r, c))
            defaults[p] = list
        }
        for p in order {
            guard let list = defaults[p], list.count > 1 else { continue }
            let fare = name(feed, .fareProduct, p)
            let names = list.map { "'\(name(feed, .riderCategory, $0.category))' (line \(line(products, $0.row) ?? 0))" }
            report.add(Finding(.error, "fare_product_with_multiple_default_rider_categories", file: products.name, line: line(products, list[0].row),
                               field: "rider_category_id", value: fare,
                               message: "fare product '\(fare)' has \(list.count) default rider categories: \(names.joined(separator: ", ")); mark only one of them is_default_fare_category = 1"))
        }
    }

    // MARK: Networks

    /// `route_networks_specified_in_more_than_one_file`: routes.txt has a network_id column
    /// while the feed also has route_networks.txt, or networks.txt; one notice per such file.
    static func routeNetworks(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        let feed = whole.feed
        guard let routes = whole.table("routes.txt"), routes.column("network_id") != nil else { return }
        for other in ["route_networks.txt", "networks.txt"] where feed.table(other) != nil {
            guard whole.table(other) != nil else { continue }
            report.add(Finding(.error, "route_networks_specified_in_more_than_one_file", file: routes.name, field: "network_id",
                               message: "routes.txt has a network_id column and the feed also has \(other); give the networks of routes in one way only (route_networks.txt with networks.txt, or routes.network_id)"))
        }
    }

    // MARK: Leg join rules

    /// `missing_required_field`: a fare_leg_join_rules.txt row that gives one of from_stop_id
    /// and to_stop_id but not the other.
    static func legJoinRules(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("fare_leg_join_rules.txt"), !whole.unparsable.contains("networks.txt"),
              !whole.unparsable.contains("routes.txt") else { return }
        let from = t.codesOrEmpty("from_stop_id"), to = t.codesOrEmpty("to_stop_id")
        for r in 0..<t.rowCount where (from[r] >= 0) != (to[r] >= 0) {
            let missing = from[r] >= 0 ? "to_stop_id" : "from_stop_id"
            report.add(Finding(.error, "missing_required_field", file: t.name, line: line(t, r), field: missing,
                               message: "from_stop_id and to_stop_id go together; give \(missing) as well, or neither"))
        }
    }
}
