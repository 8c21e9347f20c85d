/// The rules about translations, attributions and phone numbers. Semantics follow
/// MobilityData's canonical validator (`TranslationFieldAndReferenceValidator`,
/// `AttributionWithoutRoleValidator`, the phone-number field check) as gtfs-guru 1.0.0 reports
/// them; where they differ, the rule says so.
enum TextRules {
    static func validate(_ feed: Feed, options: ReadOptions, unparsable: Set<String>, into report: inout ValidationReport) {
        translations(feed, into: &report)
        attributions(feed, into: &report)
        if let country = options.countryCode { phoneNumbers(feed, country: country.uppercased(), into: &report) }
    }

    static func line(_ t: Table, _ r: Int) -> Int? { FeedValidator.lineOf(t, r) }

    // MARK: Translations

    /// The tables a translation may name, with the fields `record_id` and `record_sub_id`
    /// stand for: the set gtfs-guru 1.0.0 resolves (it leaves out fare_rules, fare_products,
    /// booking_rules, timeframes, stop_areas, location_group_stops and the fare leg and
    /// transfer rules, and reports them as unknown).
    static let translatableKeys: [String: [String]] = [
        "agency": ["agency_id"], "stops": ["stop_id"], "routes": ["route_id"], "trips": ["trip_id"],
        "stop_times": ["trip_id", "stop_sequence"], "feed_info": [], "calendar": ["service_id"],
        "calendar_dates": ["service_id", "date"], "shapes": ["shape_id", "shape_pt_sequence"],
        "frequencies": ["trip_id", "start_time"], "pathways": ["pathway_id"], "levels": ["level_id"],
        "attributions": ["attribution_id"], "transfers": ["from_stop_id", "to_stop_id"],
        "fare_attributes": ["fare_id"], "areas": ["area_id"], "networks": ["network_id"],
        "rider_categories": ["rider_category_id"], "fare_media": ["fare_media_id"],
        "location_groups": ["location_group_id"], "route_networks": ["route_id"],
    ]

    /// `translation_unexpected_value` (record_id or record_sub_id given where they must be
    /// empty), `translation_unknown_table_name` (no such table in the feed),
    /// `translation_foreign_key_violation` (no record with that key), and
    /// `missing_required_field` for a key the table needs but the row lacks.
    ///
    /// The legacy Google format (no table_name column) is not checked, nor is a file in which a
    /// row lacks table_name, field_name or language (each already a `missing_required_field`).
    static func translations(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("translations.txt"), let tables = t.strings("table_name") else { return }
        let fields = t.strings("field_name"), languages = t.strings("language")
        let incomplete = (0..<t.rowCount).contains { r in tables[r] == nil || fields?[r] == nil || languages?[r] == nil }
        guard !incomplete else { return }
        let recordIDs = t.strings("record_id"), subIDs = t.strings("record_sub_id"), values = t.strings("field_value")
        var indexes: [String: KeyIndex] = [:]
        func trimmed(_ s: String?) -> String? {
            guard let s else { return nil }
            var v = Substring(s)
            while let c = v.first, c == " " || c == "\t" { v.removeFirst() }
            while let c = v.last, c == " " || c == "\t" { v.removeLast() }
            return v.isEmpty ? nil : String(v)
        }
        func unexpected(_ r: Int, _ field: String, _ value: String, _ why: String) {
            report.add(Finding(.error, "translation_unexpected_value", file: t.name, line: line(t, r), field: field, value: value,
                               message: "\(field) '\(value)' must be empty \(why); clear it"))
        }
        for r in 0..<t.rowCount {
            let table = trimmed(tables[r]) ?? ""
            let record = trimmed(recordIDs?[r]), sub = trimmed(subIDs?[r])
            let byValue = values?[r].map { !$0.isEmpty } ?? false
            if byValue {
                if let record { unexpected(r, "record_id", record, "when the translation is matched by field_value") }
                if let sub { unexpected(r, "record_sub_id", sub, "when the translation is matched by field_value") }
            }
            guard let keys = translatableKeys[table], let target = feed.table(table + ".txt") else {
                report.add(Finding(.warning, "translation_unknown_table_name", file: t.name, line: line(t, r), field: "table_name", value: table,
                                   message: "table_name '\(table)' is not a table of this feed that translations can refer to; correct it or remove the row"))
                continue
            }
            if byValue { continue }
            if !checkPresence(t, r, "record_id", record, needed: keys.count >= 1, table: table, into: &report)
                || !checkPresence(t, r, "record_sub_id", sub, needed: keys.count >= 2, table: table, into: &report) { continue }
            guard !keys.isEmpty else { continue }
            if indexes[table] == nil { indexes[table] = KeyIndex(target, keys: keys) }
            guard let index = indexes[table], !index.contains(record, sub) else { continue }
            let key = [record, sub].compactMap { $0 }.joined(separator: ", ")
            report.add(Finding(.error, "translation_foreign_key_violation", file: t.name, line: line(t, r), field: "record_id", value: key,
                               message: "\(table).txt has no record with \(keys.joined(separator: ", ")) = (\(key)); correct record_id/record_sub_id or remove the row"))
        }
    }

    /// Reports `field` given where `table` has no such key (`translation_unexpected_value`) or
    /// missing where it has one (`missing_required_field`); true when it is as expected.
    static func checkPresence(_ t: Table, _ r: Int, _ field: String, _ value: String?, needed: Bool, table: String,
                              into report: inout ValidationReport) -> Bool {
        switch (value, needed) {
        case (let v?, false):
            report.add(Finding(.error, "translation_unexpected_value", file: t.name, line: line(t, r), field: field, value: v,
                               message: "\(field) '\(v)' must be empty for table \(table), whose records it does not identify; clear it"))
            return false
        case (nil, true):
            report.add(Finding(.error, "missing_required_field", file: t.name, line: line(t, r), field: field,
                               message: "\(field) is required to say which record of \(table).txt this translation is for"))
            return false
        default:
            return true
        }
    }

    /// The keys of a table's rows, for looking up a translation's record_id and record_sub_id.
    struct KeyIndex {
        struct Key: Hashable { let a: Int64, b: Int64 }
        let columns: [Column?]
        let keys: Set<Key>
        /// Per string column, its values' codes (built once).
        let codes: [[String: Int64]]

        init(_ t: Table, keys names: [String]) {
            columns = names.map { t.column($0) }
            let values = columns.map { c in c.map(FeedValidator.keyValues) ?? [Int64](repeating: Int64.min, count: t.rowCount) }
            var set = Set<Key>()
            for r in 0..<t.rowCount {
                set.insert(Key(a: values[0][r], b: values.count > 1 ? values[1][r] : 0))
            }
            self.keys = set
            codes = columns.map { c in
                guard case .strings(let s)? = c?.data else { return [:] }
                var m: [String: Int64] = [:]
                m.reserveCapacity(s.values.count)
                for (i, v) in s.values.enumerated() where m[v] == nil { m[v] = Int64(i) }
                return m
            }
        }

        /// The value `text` takes in key column `k`, as ``FeedValidator/keyValues(_:)`` gives it.
        func value(_ text: String?, _ k: Int) -> Int64? {
            guard let text, k < columns.count, let c = columns[k] else { return nil }
            switch c.data {
            case .strings: return codes[k][text]
            case .integers, .smallIntegers: return Int32(text).map(Int64.init)
            case .times: return GTFSTime.parse(text).map(Int64.init)
            case .dates: return GTFSDate(text).map { Int64($0.yyyymmdd) }
            case .reals: return Double(text).map { Int64(bitPattern: $0.bitPattern) }
            }
        }

        func contains(_ record: String?, _ sub: String?) -> Bool {
            guard let a = value(record, 0) else { return false }
            if columns.count < 2 { return keys.contains(Key(a: a, b: 0)) }
            guard let b = value(sub, 1) else { return false }
            return keys.contains(Key(a: a, b: b))
        }
    }

    // MARK: Attributions

    /// `attribution_without_role`: none of is_producer, is_operator, is_authority is 1.
    static func attributions(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("attributions.txt"), StationRules.hasRequiredColumns(t) else { return }
        let roles = ["is_producer", "is_operator", "is_authority"].map { t.integersOr($0) }
        let ids = t.strings("attribution_id")
        for r in 0..<t.rowCount where !roles.contains(where: { $0[r] == 1 }) {
            let id = ids?[r] ?? ""
            let who = id.isEmpty ? "this attribution" : "attribution '\(id)'"
            report.add(Finding(.warning, "attribution_without_role", file: t.name, line: line(t, r), field: "is_producer", value: id,
                               message: "\(who) has no role; set at least one of is_producer, is_operator, is_authority to 1"))
        }
    }

    // MARK: Phone numbers

    /// The phone-number fields of the reference.
    static let phoneFields: [(file: String, field: String)] = [
        ("agency.txt", "agency_phone"), ("booking_rules.txt", "phone_number"), ("attributions.txt", "attribution_phone"),
    ]

    /// `invalid_phone_number`, run only when the country is known (as gtfs-guru does); see
    /// ``PhoneNumber/isPlausible(_:country:)`` for the check.
    static func phoneNumbers(_ feed: Feed, country: String, into report: inout ValidationReport) {
        for (file, field) in phoneFields {
            guard let t = feed.table(file), let column = t.strings(field) else { continue }
            let bad = column.values.map { !PhoneNumber.isPlausible($0, country: country) }
            for (r, code) in column.codes.enumerated() where code >= 0 && Int(code) < bad.count && bad[Int(code)] {
                let v = column.values[Int(code)]
                report.add(Finding(.error, "invalid_phone_number", file: file, line: line(t, r), field: field, value: v,
                                   message: "'\(v)' is not a phone number that can be dialled in \(country); write digits with spaces, dashes, dots or parentheses, '+' and the country code for a number abroad"))
            }
        }
    }
}

/// A plausibility check of phone numbers in the spirit of libphonenumber's "possible number"
/// test, which the canonical validator uses (this package cannot): the characters, then the
/// number of digits, against the numbering plan of the feed's country where this table knows
/// it and against E.164 otherwise.
///
/// A number is accepted when it
/// - holds only ASCII digits, spaces, `(`, `)`, `-`, `.` and a leading `+` (letters, as in
///   vanity numbers or extensions, and other signs are refused, as gtfs-guru refuses them);
/// - has at least 2 digits;
/// - written internationally (`+` or the country's international prefix, `00`, `011`), has
///   7 to 15 digits after the prefix (E.164), and, for a calling code of the table, a national
///   number of one of that country's lengths;
/// - written nationally, has, with or without the national trunk prefix, one of the country's
///   lengths (local-only lengths included), or 2 to 15 digits for a country not in the table.
enum PhoneNumber {
    /// A country's numbering plan, as far as lengths go.
    struct Plan: Sendable {
        let callingCode: String
        let internationalPrefix: String
        let nationalPrefix: String
        /// The lengths of a national significant number (local-only lengths included).
        let lengths: Set<Int>
    }

    static let nanp = Plan(callingCode: "1", internationalPrefix: "011", nationalPrefix: "1", lengths: [7, 10])

    /// Numbering plans by ISO 3166-1 alpha-2 code (lengths from the ITU national plans).
    static let plans: [String: Plan] = [
        "US": nanp, "CA": nanp, "PR": nanp,
        "LT": Plan(callingCode: "370", internationalPrefix: "00", nationalPrefix: "8", lengths: [8]),
        "LV": Plan(callingCode: "371", internationalPrefix: "00", nationalPrefix: "", lengths: [8]),
        "FR": Plan(callingCode: "33", internationalPrefix: "00", nationalPrefix: "0", lengths: [9]),
        "DE": Plan(callingCode: "49", internationalPrefix: "00", nationalPrefix: "0", lengths: Set(2...15)),
        "GB": Plan(callingCode: "44", internationalPrefix: "00", nationalPrefix: "0", lengths: Set(4...10)),
        "BR": Plan(callingCode: "55", internationalPrefix: "00", nationalPrefix: "0", lengths: Set(8...11)),
        "MX": Plan(callingCode: "52", internationalPrefix: "00", nationalPrefix: "01", lengths: [7, 8, 10, 11]),
        "ES": Plan(callingCode: "34", internationalPrefix: "00", nationalPrefix: "", lengths: [9]),
        "PT": Plan(callingCode: "351", internationalPrefix: "00", nationalPrefix: "", lengths: [9]),
        "IT": Plan(callingCode: "39", internationalPrefix: "00", nationalPrefix: "", lengths: Set(6...12)),
    ]

    /// Whether `text` is a plausible phone number for a feed of `country` (alpha-2, upper case).
    static func isPlausible(_ text: String, country: String) -> Bool {
        var digits: [UInt8] = []
        var plus = false, seenSign = false
        for b in text.utf8 {
            switch b {
            case 0x30...0x39: digits.append(b); seenSign = true
            case 0x2B: // '+'
                if seenSign || plus { return false }
                plus = true; seenSign = true
            case 0x20: break
            case 0x28, 0x29, 0x2D, 0x2E: seenSign = true // ( ) - .
            default: return false
            }
        }
        guard digits.count >= 2 else { return false }
        let plan = plans[country]
        if plus { return isPlausibleInternational(digits[...]) }
        if let plan, !plan.internationalPrefix.isEmpty, starts(digits[...], with: plan.internationalPrefix) {
            return isPlausibleInternational(digits.dropFirst(plan.internationalPrefix.utf8.count))
        }
        guard let plan else { return digits.count <= 15 }
        if plan.lengths.contains(digits.count) { return true }
        let prefix = plan.nationalPrefix.utf8.count
        return prefix > 0 && starts(digits[...], with: plan.nationalPrefix) && plan.lengths.contains(digits.count - prefix)
    }

    /// Digits after the international prefix: calling code and national number.
    static func isPlausibleInternational(_ digits: ArraySlice<UInt8>) -> Bool {
        guard (7...15).contains(digits.count) else { return false }
        for plan in plans.values where starts(digits, with: plan.callingCode) {
            return plan.lengths.contains(digits.count - plan.callingCode.utf8.count)
        }
        return true
    }

    static func starts(_ digits: ArraySlice<UInt8>, with prefix: String) -> Bool {
        digits.count >= prefix.utf8.count && digits.prefix(prefix.utf8.count).elementsEqual(prefix.utf8)
    }
}
