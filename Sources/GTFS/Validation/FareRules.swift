/// The rules of GTFS Fares v1 (`fare_attributes.txt`, `fare_rules.txt`) and Fares v2 (areas,
/// networks, timeframes, rider categories, fare media, fare products, fare leg, leg join and
/// transfer rules), with the notice codes and semantics of MobilityData's canonical validator:
/// `FareProductCurrencyAmountValidator` and the currency type, `MissingRequiredAgencyIdValidator`,
/// `StopZoneIdValidator`, the zone and fare references of `fare_rules.txt`,
/// `FareTransferRuleTransferCountValidator`, `FareTransferRuleDurationLimitTypeValidator`,
/// `TimeframeStartAndEndTimeValidator`, `TimeframeOverlapValidator`, `DuplicateFareMediaValidator`,
/// `FareMediaNameValidator`, `FareProductDefaultRiderCategoriesValidator`,
/// `NetworkIdConsistencyValidator` and `FareLegJoinRuleValidator` (the v2 rules are in
/// `FareRules+V2.swift`).
///
/// As in the canonical validator, the rules that read a file whole skip it when reading found
/// an error in it, or a currency that is not one (an unparsable value to the canonical
/// validator); the rules on single rows run on every row.
enum FareRules {
    static func validate(_ feed: Feed, options: ReadOptions, unparsable: Set<String>, into report: inout ValidationReport) {
        var bad = unparsable
        currencies(feed, bad: &bad, into: &report)
        let whole = RecordRules.WholeTables(feed: feed, unparsable: bad)
        // Fares v1.
        attributesFile(feed, into: &report)
        agencyIDs(whole, into: &report)
        zoneReferences(feed, into: &report)
        stopsWithoutZone(whole, into: &report)
        // References to fare files that are absent or empty.
        // Fares v2.
        transferRules(feed, into: &report)
        timeframes(feed, whole: whole, into: &report)
        fareMedia(feed, whole: whole, into: &report)
        defaultRiderCategories(whole, into: &report)
        routeNetworks(whole, into: &report)
        legJoinRules(whole, into: &report)
    }

    static func line(_ t: Table, _ r: Int) -> Int? { FeedValidator.lineOf(t, r) }

    /// The identifier of `code` in `space`, or "" for an unknown code.
    static func name(_ feed: Feed, _ space: IDSpace, _ code: Int32) -> String {
        CanonicalRules.name(feed, space, code)
    }

    /// The value of `code` in `column`, or `nil` for an empty or unknown code.
    static func value(_ column: StringColumn, _ code: Int32) -> String? {
        code >= 0 && Int(code) < column.values.count ? column.values[Int(code)] : nil
    }

    // MARK: Currencies and amounts

    /// `invalid_currency` for fare_products.txt's currency (fare_attributes.txt's currency_type
    /// is checked by ``CanonicalRules``), `invalid_float` for an amount that is not a decimal
    /// number and `invalid_currency_amount` for an amount whose decimal places are not the
    /// currency's (ISO 4217 minor units: 2.00 EUR, 200 JPY, 2.000 KWD). Adds to `bad` the files
    /// with such a value, which the canonical validator cannot parse.
    static func currencies(_ feed: Feed, bad: inout Set<String>, into report: inout ValidationReport) {
        if let t = feed.table("fare_attributes.txt"), let c = t.strings("currency_type"),
           c.codes.contains(where: { value(c, $0).map { !ISO4217.codes.contains($0) } ?? false }) {
            bad.insert(t.name)
        }
        guard let t = feed.table("fare_products.txt") else { return }
        let currency = t.strings("currency"), amount = t.strings("amount")
        let known = currency?.values.map { ISO4217.codes.contains($0) } ?? []
        let scales = amount?.values.map(decimalScale) ?? []
        for r in 0..<t.rowCount {
            var unit: (code: String, digits: Int)?
            if let currency, let c = value(currency, currency.codes[r]) {
                if known[Int(currency.codes[r])] {
                    unit = (c, minorUnits(c))
                } else {
                    bad.insert(t.name)
                    report.add(Finding(.error, "invalid_currency", file: t.name, line: line(t, r), field: "currency", value: c,
                                       message: "currency '\(c)' is not an ISO 4217 currency code such as USD or EUR"))
                }
            }
            guard let amount, let text = value(amount, amount.codes[r]) else { continue }
            guard let scale = scales[Int(amount.codes[r])] else {
                bad.insert(t.name)
                report.add(Finding(.error, "invalid_float", file: t.name, line: line(t, r), field: "amount", value: text,
                                   message: "'\(text)' is not a decimal number"))
                continue
            }
            guard let unit, scale != unit.digits else { continue }
            let expected = unit.digits < 0
                ? "\(unit.code) has no minor unit, so no amount in it is well formed; use a currency of money"
                : "\(unit.code) amounts are written with \(unit.digits) decimal place\(unit.digits == 1 ? "" : "s") (e.g. \(example(unit.digits)))"
            report.add(Finding(.error, "invalid_currency_amount", file: t.name, line: line(t, r), field: "amount", value: text,
                               message: "amount '\(text)' has \(scale) decimal place\(scale == 1 ? "" : "s"); \(expected)"))
        }
    }

    /// An amount written with `digits` decimal places.
    static func example(_ digits: Int) -> String {
        digits == 0 ? "2" : "2." + String(repeating: "0", count: digits)
    }

    /// The number of decimal places of a decimal number as written: the digits after the point,
    /// less the exponent (`2.50` → 2, `2` → 0, `2.5e1` → 0); `nil` when `text` (trimmed of
    /// spaces) is not a decimal number.
    static func decimalScale(_ text: String) -> Int? {
        var bytes = Array(text.utf8)[...]
        while let b = bytes.first, b == 0x20 || b == 0x09 { bytes.removeFirst() }
        while let b = bytes.last, b == 0x20 || b == 0x09 { bytes.removeLast() }
        if let b = bytes.first, b == 0x2B || b == 0x2D { bytes.removeFirst() }
        var digits = 0, fraction = 0, point = false
        while let b = bytes.first, b != 0x65 && b != 0x45 {
            bytes.removeFirst()
            if b == 0x2E {
                if point { return nil }
                point = true
            } else if b >= 0x30 && b <= 0x39 {
                digits += 1
                if point { fraction += 1 }
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        guard !bytes.isEmpty else { return fraction }
        bytes.removeFirst() // the exponent's e
        var negative = false
        if let b = bytes.first, b == 0x2B || b == 0x2D { negative = b == 0x2D; bytes.removeFirst() }
        guard !bytes.isEmpty, bytes.count <= 9, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        var exponent = 0
        for b in bytes { exponent = exponent * 10 + Int(b - 0x30) }
        return fraction - (negative ? -exponent : exponent)
    }

    /// ISO 4217 currencies whose minor unit is not 2 decimal places.
    static let zeroDecimalCurrencies: Set<String> = [
        "BIF", "BYR", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    static let threeDecimalCurrencies: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
    static let fourDecimalCurrencies: Set<String> = ["CLF", "UYW"]
    /// Precious metals, drawing rights and test codes: no minor unit.
    static let unitlessCurrencies: Set<String> = [
        "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX",
    ]

    /// The decimal places of amounts in `currency` (ISO 4217's minor unit), or -1 for a code
    /// without one.
    static func minorUnits(_ currency: String) -> Int {
        if zeroDecimalCurrencies.contains(currency) { return 0 }
        if threeDecimalCurrencies.contains(currency) { return 3 }
        if fourDecimalCurrencies.contains(currency) { return 4 }
        if unitlessCurrencies.contains(currency) { return -1 }
        return 2
    }

    // MARK: Fares v1

    /// `missing_required_file`: fare_rules.txt without the fare_attributes.txt its fares are
    /// defined in.
    static func attributesFile(_ feed: Feed, into report: inout ValidationReport) {
        guard feed.table("fare_rules.txt") != nil, feed.table("fare_attributes.txt") == nil else { return }
        report.add(Finding(.error, "missing_required_file", file: "fare_attributes.txt",
                           message: "fare_rules.txt applies fares that fare_attributes.txt defines, but the feed has no fare_attributes.txt; add it or remove fare_rules.txt"))
    }

    /// `missing_required_agency_id`: with several agencies, a fare of fare_attributes.txt
    /// must name its agency (agency.txt and routes.txt are checked by ``FeedValidator``).
    static func agencyIDs(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        guard let agencies = whole.table("agency.txt"), agencies.rowCount > 1, !whole.unparsable.contains("routes.txt"),
              let t = whole.table("fare_attributes.txt") else { return }
        let ids = t.codesOrEmpty("agency_id")
        let column = t.column("agency_id")
        for r in 0..<t.rowCount where ids[r] < 0 && column?.unparsed[Int32(r)] == nil {
            report.add(Finding(.error, "missing_required_agency_id", file: t.name, line: line(t, r), field: "agency_id",
                               message: "the feed has several agencies, so this fare must say in agency_id which agency sells it"))
        }
    }

    /// The columns of fare_rules.txt that name fare zones (stops.txt's zone_id).
    static let zoneFields = ["origin_id", "destination_id", "contains_id"]

    /// `foreign_key_violation`: a zone of fare_rules.txt (origin_id, destination_id,
    /// contains_id) that no stop has as its zone_id.
    static func zoneReferences(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("fare_rules.txt") else { return }
        var zones = Set<String>()
        if let stops = feed.table("stops.txt"), let z = stops.strings("zone_id") {
            for code in z.codes { if let v = value(z, code) { zones.insert(v) } }
        }
        for field in zoneFields {
            guard let c = t.strings(field) else { continue }
            let unknown = c.values.map { !zones.contains($0) }
            for (r, code) in c.codes.enumerated() where code >= 0 && Int(code) < unknown.count && unknown[Int(code)] {
                let v = c.values[Int(code)]
                report.add(Finding(.error, "foreign_key_violation", file: t.name, line: line(t, r), field: field, value: v,
                                   message: "\(field) '\(v)' is the zone_id of no stop in stops.txt"))
            }
        }
    }

    /// `stop_without_zone_id` (info): when fare_rules.txt prices routes by zone, a stop
    /// (location_type 0) served by such a route has no zone_id, so its fare is unknown.
    static func stopsWithoutZone(_ whole: RecordRules.WholeTables, into report: inout ValidationReport) {
        let feed = whole.feed
        guard let rules = whole.table("fare_rules.txt"), rules.rowCount > 0, let stops = whole.table("stops.txt"),
              whole.table("stop_times.txt") != nil, whole.table("trips.txt") != nil, whole.table("routes.txt") != nil else { return }
        // The routes that a rule with a zone applies to.
        let routeCount = feed.definedCount(.route)
        var zoned = [Bool](repeating: false, count: routeCount)
        let ruleRoutes = rules.codesOrEmpty("route_id")
        let zoneColumns = zoneFields.map { rules.codesOrEmpty($0) }
        var any = false
        for r in 0..<rules.rowCount where zoneColumns.contains(where: { $0[r] >= 0 }) {
            let route = ruleRoutes[r]
            if route >= 0 && Int(route) < routeCount { zoned[Int(route)] = true; any = true }
        }
        guard any else { return }
        // The route of each trip (its first row in trips.txt).
        let trips = feed.trips
        let tripCount = feed.definedCount(.trip)
        var routeOfTrip = [Int32](repeating: -1, count: tripCount)
        for r in 0..<trips.count {
            let trip = trips.id[r]
            if trip >= 0 && Int(trip) < tripCount && routeOfTrip[Int(trip)] < 0 { routeOfTrip[Int(trip)] = trips.route[r] }
        }
        // The stops that such a route serves.
        let stopCount = feed.ids(.stop).count
        var served = [Bool](repeating: false, count: stopCount)
        let st = feed.stopTimes
        for r in 0..<st.count {
            let trip = st.trip[r], stop = st.stop[r]
            guard trip >= 0, Int(trip) < tripCount, stop >= 0, Int(stop) < stopCount else { continue }
            let route = routeOfTrip[Int(trip)]
            if route >= 0 && Int(route) < routeCount && zoned[Int(route)] { served[Int(stop)] = true }
        }
        let s = feed.stops
        let zones = stops.codesOrEmpty("zone_id")
        for r in 0..<s.count where s.locationType[r] == 0 && zones[r] < 0 {
            let id = s.id[r]
            guard id >= 0, Int(id) < stopCount, served[Int(id)] else { continue }
            let stop = name(feed, .stop, id)
            report.add(Finding(.info, "stop_without_zone_id", file: stops.name, line: line(stops, r), field: "zone_id", value: stop,
                               message: "stop '\(stop)' is served by a route whose fares depend on zones (fare_rules.txt), but it has no zone_id; give it one"))
        }
    }
}
