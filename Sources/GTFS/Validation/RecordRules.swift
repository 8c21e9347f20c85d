/// The rules about single records and their text: recommended fields, rider-facing names,
/// enumerations, colours and pathways. Semantics follow MobilityData's canonical validator
/// (`RouteAgencyIdValidator`, `FareAttributeAgencyIdValidator`, `FeedContactValidator`, the
/// `@MixedCase` and `@Recommended` schema annotations, `DuplicateRouteNameValidator`,
/// `StopNameValidator`, `BikesAllowanceValidator`, `RouteColorContrastValidator`,
/// `PathwayBidirectionalExitGatesValidator`).
///
/// Text predicates run once per distinct value: string columns are dictionary-encoded.
enum RecordRules {
    static func validate(_ feed: Feed, unparsable: Set<String>, into report: inout ValidationReport) {
        let whole = WholeTables(feed: feed, unparsable: unparsable)
        recommendedAgencyIDs(whole, into: &report)
        feedInfo(whole, into: &report)
        mixedCase(whole, into: &report)
        textValues(feed, into: &report)
        languages(whole, into: &report)
        singleEntities(feed, into: &report)
        routes(whole, into: &report)
        stopDescriptions(whole, into: &report)
        bikes(whole, into: &report)
        // A per-row rule: other rows' defects do not hide this one.
        exitGates(WholeTables(feed: feed, unparsable: []), into: &report)
    }

    /// The feed's tables that reading found no error in: per-record rules skip the others
    /// (their rows were already reported), as the canonical validator skips rows it could not
    /// parse.
    struct WholeTables {
        let feed: Feed
        let unparsable: Set<String>
        func table(_ name: String) -> Table? { unparsable.contains(name) ? nil : feed.table(name) }
    }

    static func line(_ t: Table, _ r: Int) -> Int? { FeedValidator.lineOf(t, r) }

    // MARK: Recommended fields

    /// With a single agency, agency_id may be left out, but it is recommended in agency.txt,
    /// routes.txt and fare_attributes.txt (`missing_recommended_field`).
    static func recommendedAgencyIDs(_ whole: WholeTables, into report: inout ValidationReport) {
        guard let agencies = whole.table("agency.txt"), agencies.rowCount == 1 else { return }
        for name in ["agency.txt", "routes.txt", "fare_attributes.txt"] {
            guard let t = whole.table(name) else { continue }
            let ids = t.codesOrEmpty("agency_id")
            for r in 0..<t.rowCount where ids[r] < 0 && t.column("agency_id")?.unparsed[Int32(r)] == nil {
                report.add(Finding(.warning, "missing_recommended_field", file: name, line: line(t, r), field: "agency_id",
                                   message: "agency_id is empty; with one agency it may be, but naming it keeps the feed valid when agencies are added"))
            }
        }
    }

    /// `missing_recommended_field` for feed_version, and `missing_feed_contact_email_and_url`.
    static func feedInfo(_ whole: WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("feed_info.txt") else { return }
        let version = t.codesOrEmpty("feed_version")
        let email = t.codesOrEmpty("feed_contact_email"), url = t.codesOrEmpty("feed_contact_url")
        let emailColumn = t.column("feed_contact_email"), urlColumn = t.column("feed_contact_url")
        for r in 0..<t.rowCount {
            if version[r] < 0 {
                report.add(Finding(.warning, "missing_recommended_field", file: t.name, line: line(t, r), field: "feed_version",
                                   message: "feed_version is empty; give each published version a name so consumers can tell them apart"))
            }
            let hasEmail = email[r] >= 0 || emailColumn?.unparsed[Int32(r)] != nil
            let hasURL = url[r] >= 0 || urlColumn?.unparsed[Int32(r)] != nil
            if !hasEmail && !hasURL {
                report.add(Finding(.warning, "missing_feed_contact_email_and_url", file: t.name, line: line(t, r), field: "feed_contact_email",
                                   message: "feed_info.txt gives neither feed_contact_email nor feed_contact_url; give one so consumers can report problems"))
            }
        }
    }

    // MARK: Rider-facing text

    /// The fields riders read, which should be written in mixed case.
    static let mixedCaseFields: [(file: String, field: String)] = [
        ("agency.txt", "agency_name"), ("stops.txt", "stop_name"), ("routes.txt", "route_short_name"),
        ("routes.txt", "route_long_name"), ("routes.txt", "route_desc"), ("trips.txt", "trip_headsign"),
    ]

    /// `mixed_case_recommended_field`: a rider-facing name written all in capitals or all in
    /// small letters.
    static func mixedCase(_ whole: WholeTables, into report: inout ValidationReport) {
        for (file, field) in mixedCaseFields {
            guard let t = whole.table(file), let column = t.strings(field) else { continue }
            let flagged = column.values.map(needsMixedCase)
            for (r, code) in column.codes.enumerated() where code >= 0 && Int(code) < flagged.count && flagged[Int(code)] {
                let v = column.values[Int(code)]
                report.add(Finding(.warning, "mixed_case_recommended_field", file: file, line: line(t, r), field: field, value: v,
                                   message: "'\(v)' is written in one case; riders read it more easily in mixed case (e.g. 'Main Street')"))
            }
        }
    }

    /// Whether `text` should be rewritten in mixed case. Words are runs of letters, digits and
    /// `_`; words that start with a digit ("47th", "1a") are left out. The text passes when a
    /// word mixes capitals and small letters, or when the words together use both; otherwise
    /// it is flagged when all small and a word has two letters or more ("libertad"), or all
    /// capitals with at least two such words ("MAIN ST"). Single capital words ("UCLA"),
    /// codes ("46-C") and text without cased letters pass.
    static func needsMixedCase(_ text: String) -> Bool {
        var longWords = 0, anyUpper = false, anyLower = false
        var upper = 0, lower = 0, letters = 0, startsWithDigit = false, inWord = false
        /// Closes a word; false when the word itself mixes cases.
        func endWord() -> Bool {
            defer { upper = 0; lower = 0; letters = 0; inWord = false; startsWithDigit = false }
            guard inWord, !startsWithDigit else { return true }
            if upper > 0 && lower > 0 { return false }
            if upper > 0 { anyUpper = true }
            if lower > 0 { anyLower = true }
            if letters >= 2 { longWords += 1 }
            return true
        }
        for ch in text {
            if ch.isLetter || ch.isNumber || ch == "_" {
                if !inWord { inWord = true; startsWithDigit = ch.isNumber }
                if ch.isUppercase { upper += 1 } else if ch.isLowercase { lower += 1 }
                if ch.isLetter { letters += 1 }
            } else if !endWord() {
                return false
            }
        }
        guard endWord(), !(anyUpper && anyLower) else { return false }
        return anyLower ? longWords >= 1 : longWords >= 2
    }

    /// In one pass over the distinct values of every text column:
    /// `leading_or_trailing_whitespaces` (a value that starts or ends with a space or tab) and
    /// `new_line_in_value` (a quoted value holding a line break, which many consumers cannot show).
    static func textValues(_ feed: Feed, into report: inout ValidationReport) {
        for t in feed.orderedTables {
            for c in t.columns {
                guard case .strings(let s) = c.data else { continue }
                var padded = [Bool](repeating: false, count: s.values.count)
                var broken = padded
                for (k, v) in s.values.enumerated() {
                    if let a = v.utf8.first, let b = v.utf8.last {
                        padded[k] = a == 0x20 || a == 0x09 || b == 0x20 || b == 0x09
                    }
                    broken[k] = v.utf8.contains(0x0A) || v.utf8.contains(0x0D)
                }
                guard padded.contains(true) || broken.contains(true) else { continue }
                for (r, code) in s.codes.enumerated() where code >= 0 && Int(code) < padded.count {
                    let v = s.values[Int(code)]
                    if padded[Int(code)] {
                        report.add(Finding(.warning, "leading_or_trailing_whitespaces", file: t.name, line: line(t, r), field: c.name, value: v,
                                           message: "the value starts or ends with white space; remove it"))
                    }
                    if broken[Int(code)] {
                        report.add(Finding(.error, "new_line_in_value", file: t.name, line: line(t, r), field: c.name, value: v,
                                           message: "the value holds a line break; write it on one line"))
                    }
                }
            }
        }
    }

    /// The language fields, checked against IETF BCP 47 (`invalid_language_code`).
    static let languageFields: [(file: String, field: String)] = [
        ("agency.txt", "agency_lang"), ("feed_info.txt", "feed_lang"), ("feed_info.txt", "default_lang"),
        ("translations.txt", "language"),
    ]

    /// `invalid_language_code`: a language that is not a well-formed BCP 47 tag (`en`, `en-US`,
    /// `zh-Hant-TW`; not `en_US`).
    static func languages(_ whole: WholeTables, into report: inout ValidationReport) {
        for (file, field) in languageFields {
            guard let t = whole.table(file), let column = t.strings(field) else { continue }
            let bad = column.values.map { !isLanguageTag($0) }
            for (r, code) in column.codes.enumerated() where code >= 0 && Int(code) < bad.count && bad[Int(code)] {
                let v = column.values[Int(code)]
                report.add(Finding(.error, "invalid_language_code", file: file, line: line(t, r), field: field, value: v,
                                   message: "'\(v)' is not a BCP 47 language tag; write e.g. 'en' or 'en-US' (a hyphen, not an underscore)"))
            }
        }
    }

    /// Whether `text` is a well-formed BCP 47 language tag: a language of 2–8 letters, then
    /// subtags of 1–8 letters or digits, hyphen-separated (private-use `x-…` and the
    /// grandfathered `i-…` forms included).
    static func isLanguageTag(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first else { return false }
        let isLetters = { (s: Substring) in !s.isEmpty && s.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } }
        let isAlphanumeric = { (s: Substring) in
            !s.isEmpty && s.count <= 8 && s.utf8.allSatisfy { (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
        }
        let lower = first.lowercased()
        if lower == "x" || lower == "i" { return parts.count > 1 && parts.dropFirst().allSatisfy(isAlphanumeric) }
        guard isLetters(first), (2...8).contains(first.count) else { return false }
        return parts.dropFirst().allSatisfy(isAlphanumeric)
    }

    /// `more_than_one_entity`: a file that holds one record (feed_info.txt) has more.
    static func singleEntities(_ feed: Feed, into report: inout ValidationReport) {
        guard let t = feed.table("feed_info.txt"), t.rowCount > 1 else { return }
        report.add(Finding(.warning, "more_than_one_entity", file: t.name, line: line(t, 1),
                           message: "feed_info.txt has \(t.rowCount) rows but describes the feed once; keep one"))
    }

    // MARK: Routes

    /// The route types of the GTFS reference; the extended (Google) types 100–1702 are read but
    /// flagged as `unexpected_enum_value`, as the canonical validator does.
    static let standardRouteTypes: Set<Int32> = [0, 1, 2, 3, 4, 5, 6, 7, 11, 12]

    /// `unexpected_enum_value` (route_type), `duplicate_route_name`, `route_color_contrast`.
    static func routes(_ whole: WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("routes.txt") else { return }
        let routes = whole.feed.routes
        let ids = whole.feed.ids(.route)
        for r in 0..<routes.count where routes.type[r] != Column.missingInteger && !standardRouteTypes.contains(routes.type[r]) {
            report.add(Finding(.warning, "unexpected_enum_value", file: t.name, line: line(t, r), field: "route_type",
                               value: String(routes.type[r]),
                               message: "route_type \(routes.type[r]) is not one of the reference's values (0–7, 11, 12); many consumers ignore such routes"))
        }
        // Same names, type and agency as an earlier route.
        struct Key: Hashable { let short: Int32, long: Int32, type: Int32, agency: Int32 }
        let short = t.codesOrEmpty("route_short_name"), long = t.codesOrEmpty("route_long_name")
        var first: [Key: Int] = [:]
        for r in 0..<routes.count where short[r] >= 0 || long[r] >= 0 {
            let key = Key(short: short[r], long: long[r], type: routes.type[r], agency: routes.agency[r])
            if let earlier = first[key] {
                let name = routes.id[r] >= 0 && Int(routes.id[r]) < ids.count ? ids[Int(routes.id[r])] : ""
                let other = routes.id[earlier] >= 0 && Int(routes.id[earlier]) < ids.count ? ids[Int(routes.id[earlier])] : ""
                report.add(Finding(.warning, "duplicate_route_name", file: t.name, line: line(t, r), field: "route_short_name",
                                   value: name,
                                   message: "route '\(name)' has the same names, route_type and agency as route '\(other)' (line \(line(t, earlier) ?? 0)); riders cannot tell them apart"))
            } else {
                first[key] = r
            }
        }
        // Text colour against route colour: Rec. 601 luma closer than 72 (of 255), the
        // canonical threshold (W3C's 125 is for body text, too strict for route badges).
        if let colors = t.strings("route_color"), let texts = t.strings("route_text_color") {
            for r in 0..<t.rowCount {
                guard let a = colors[r].flatMap(luma), let b = texts[r].flatMap(luma), abs(a - b) < 72 else { continue }
                report.add(Finding(.warning, "route_color_contrast", file: t.name, line: line(t, r), field: "route_text_color",
                                   value: texts[r],
                                   message: "route_text_color \(texts[r] ?? "") on route_color \(colors[r] ?? "") differs by \(abs(a - b)) in brightness (of 255); make it at least 72 so the route name reads well"))
            }
        }
    }

    /// The Rec. 601 luma (0–255) of a six-digit hexadecimal colour, or `nil`.
    static func luma(_ hex: String) -> Int? {
        guard hex.utf8.count == 6, let v = Int(hex, radix: 16) else { return nil }
        return (299 * ((v >> 16) & 0xFF) + 587 * ((v >> 8) & 0xFF) + 114 * (v & 0xFF)) / 1000
    }

    // MARK: Stops

    /// `same_name_and_description_for_stop`: stop_desc repeats stop_name.
    static func stopDescriptions(_ whole: WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("stops.txt"), let names = t.strings("stop_name"), let descs = t.strings("stop_desc") else { return }
        for r in 0..<t.rowCount {
            guard let d = descs[r], let n = names[r], !d.isEmpty, d == n else { continue }
            report.add(Finding(.warning, "same_name_and_description_for_stop", file: t.name, line: line(t, r), field: "stop_desc", value: d,
                               message: "stop_desc repeats stop_name; describe the stop (where it is, what is near) or leave it empty"))
        }
    }

    // MARK: Trips

    /// `missing_bike_allowance`: a ferry trip (route_type 4) that does not say whether bikes
    /// are allowed.
    static func bikes(_ whole: WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("trips.txt") else { return }
        let trips = whole.feed.trips, routes = whole.feed.routes
        let bikes = t.integersOr("bikes_allowed")
        var typeOfRoute = [Int32](repeating: -1, count: whole.feed.ids(.route).count)
        for r in 0..<routes.count where routes.id[r] >= 0 && Int(routes.id[r]) < typeOfRoute.count {
            typeOfRoute[Int(routes.id[r])] = routes.type[r]
        }
        for r in 0..<trips.count {
            let route = trips.route[r]
            guard route >= 0, Int(route) < typeOfRoute.count, typeOfRoute[Int(route)] == 4,
                  bikes[r] == Column.missingInteger else { continue }
            report.add(Finding(.warning, "missing_bike_allowance", file: t.name, line: line(t, r), field: "bikes_allowed",
                               message: "this ferry trip does not say whether bikes are allowed; set bikes_allowed"))
        }
    }

    // MARK: Pathways

    /// `bidirectional_exit_gate`: an exit gate (pathway_mode 7) marked bidirectional.
    static func exitGates(_ whole: WholeTables, into report: inout ValidationReport) {
        guard let t = whole.table("pathways.txt") else { return }
        let mode = t.integersOr("pathway_mode"), both = t.integersOr("is_bidirectional")
        for r in 0..<t.rowCount where mode[r] == 7 && both[r] == 1 {
            report.add(Finding(.error, "bidirectional_exit_gate", file: t.name, line: line(t, r), field: "is_bidirectional",
                               value: "1", message: "an exit gate (pathway_mode 7) can only be passed one way; set is_bidirectional to 0"))
        }
    }
}
