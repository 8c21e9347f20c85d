/// The rules of booking_rules.txt, row by row, as the canonical validator applies them.
extension FlexRules {
    /// The `prior_notice_*` fields a booking type forbids, in the canonical order.
    static let forbiddenFields: [Int32: [String]] = [
        0: ["prior_notice_duration_min", "prior_notice_duration_max", "prior_notice_last_day", "prior_notice_last_time",
            "prior_notice_start_day", "prior_notice_start_time", "prior_notice_service_id"],
        1: ["prior_notice_last_day", "prior_notice_last_time", "prior_notice_service_id"],
        2: ["prior_notice_duration_min", "prior_notice_duration_max"],
    ]

    /// The codes of the forbidden-field rule per booking type.
    static let forbiddenCodes: [Int32: (code: String, kind: String)] = [
        0: ("forbidden_real_time_booking_field_value", "real-time booking (booking_type 0)"),
        1: ("forbidden_same_day_booking_field_value", "same-day booking (booking_type 1)"),
        2: ("forbidden_prior_day_booking_field_value", "prior-day booking (booking_type 2)"),
    ]

    /// The booking rule checks: fields a booking type forbids or needs, and the order of the
    /// prior-notice bounds.
    static func bookingRules(_ whole: Whole, into report: inout ValidationReport) {
        guard let t = whole.feed.table("booking_rules.txt"), hasRequiredColumns(t) else { return }
        let type = t.integersOr("booking_type")
        let ids = t.strings("booking_rule_id")
        let minimum = t.integersOr("prior_notice_duration_min"), maximum = t.integersOr("prior_notice_duration_max")
        let lastDay = t.integersOr("prior_notice_last_day"), startDay = t.integersOr("prior_notice_start_day")
        let lastTime = t.timesOrEmpty("prior_notice_last_time"), startTime = t.timesOrEmpty("prior_notice_start_time")
        let service = t.codesOrEmpty("prior_notice_service_id")
        let none = Column.missingInteger
        for r in 0..<t.rowCount where !whole.rowHasError(t, r) {
            let at = line(t, r)
            let rule = ids?[r] ?? ""
            func add(_ code: String, _ field: String, _ value: String?, _ message: String) {
                report.add(Finding(.error, code, file: t.name, line: at, field: field, value: value, message: "booking rule '\(rule)': " + message))
            }
            func has(_ field: String) -> Bool {
                switch field {
                case "prior_notice_duration_min": minimum[r] != none
                case "prior_notice_duration_max": maximum[r] != none
                case "prior_notice_last_day": lastDay[r] != none
                case "prior_notice_last_time": lastTime[r] >= 0
                case "prior_notice_start_day": startDay[r] != none
                case "prior_notice_start_time": startTime[r] >= 0
                case "prior_notice_service_id": service[r] >= 0
                default: false
                }
            }
            let kind = type[r]
            if let fields = forbiddenFields[kind], let forbidden = forbiddenCodes[kind] {
                let given = fields.filter(has)
                if !given.isEmpty {
                    add(forbidden.code, given.joined(separator: ","), nil,
                        "\(given.joined(separator: ", ")) \(given.count == 1 ? "is" : "are") not allowed for \(forbidden.kind); leave \(given.count == 1 ? "it" : "them") empty")
                }
            }
            if kind == 1 && minimum[r] == none {
                add("missing_prior_notice_duration_min", "prior_notice_duration_min", nil,
                    "same-day booking (booking_type 1) needs prior_notice_duration_min, the minutes of notice riders must give")
            }
            if minimum[r] != none && maximum[r] != none && maximum[r] < minimum[r] {
                add("invalid_prior_notice_duration_min", "prior_notice_duration_min", String(minimum[r]),
                    "prior_notice_duration_min \(minimum[r]) is more than prior_notice_duration_max \(maximum[r]); the minimum notice cannot exceed the maximum")
            }
            if maximum[r] != none && startDay[r] != none {
                add("forbidden_prior_notice_start_day", "prior_notice_start_day", String(startDay[r]),
                    "prior_notice_start_day is not allowed together with prior_notice_duration_max; give only one of them")
            }
            if lastDay[r] != none && startDay[r] != none && lastDay[r] > startDay[r] {
                add("prior_notice_last_day_after_start_day", "prior_notice_last_day", String(lastDay[r]),
                    "prior_notice_last_day \(lastDay[r]) is more days ahead than prior_notice_start_day \(startDay[r]), so booking would close before it opens")
            }
            if kind == 2 && lastDay[r] == none {
                add("missing_prior_notice_last_day", "prior_notice_last_day", nil,
                    "prior-day booking (booking_type 2) needs prior_notice_last_day, the last day before travel to book")
            }
            if kind == 2 && lastTime[r] < 0 {
                add("missing_prior_notice_last_time", "prior_notice_last_time", nil,
                    "prior-day booking (booking_type 2) needs prior_notice_last_time, the time of day booking closes")
            }
            if startTime[r] >= 0 && startDay[r] == none {
                add("forbidden_prior_notice_start_time", "prior_notice_start_time", GTFSTime.format(startTime[r]),
                    "prior_notice_start_time is given without prior_notice_start_day; give the day too, or remove the time")
            }
            if startTime[r] < 0 && startDay[r] != none {
                add("missing_prior_notice_start_time", "prior_notice_start_time", nil,
                    "prior_notice_start_day is given without prior_notice_start_time; give the time booking opens")
            }
        }
    }
}
