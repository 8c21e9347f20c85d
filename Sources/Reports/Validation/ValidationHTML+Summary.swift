import GTFS
import Charts

// The feed summary of the HTML validation report: agencies, feed_info.txt, the files with
// their row counts and the GTFS features the feed uses.

extension ValidationHTML {
    /// What the report's summary shows about a feed, gathered once from the loaded ``Feed``.
    struct FeedSummary {
        /// One row of `agency.txt`.
        struct Agency {
            var name: String
            var url: String
            var timezone: String
        }

        /// One file of the feed: its data rows when it is a CSV file, else its size.
        struct File {
            var name: String
            var rows: Int?
            var bytes: Int?
        }

        /// A GTFS feature the feed uses, named and grouped as the canonical validator's
        /// report names them.
        struct Feature {
            var name: String
            var group: String
        }

        var agencies: [Agency] = []
        /// `feed_info.txt`'s first row as (label, value) pairs, empty values left out.
        var feedInfo: [(label: String, value: String)] = []
        var files: [File] = []
        var features: [Feature] = []
        var serviceDates: ClosedRange<GTFSDate>?

        /// Gathers the summary of `feed`.
        /// - Complexity: O(rows of the columns looked at), stopping at the first value found;
        ///   O(bytes) of the extra files, to count their rows.
        init(_ feed: Feed) {
            if let t = feed.table("agency.txt") {
                let name = t.column("agency_name"), url = t.column("agency_url"), zone = t.column("agency_timezone")
                for r in 0..<t.rowCount {
                    agencies.append(Agency(name: name?.text(row: r) ?? "", url: url?.text(row: r) ?? "",
                                           timezone: zone?.text(row: r) ?? ""))
                }
            }
            if let t = feed.table("feed_info.txt"), t.rowCount > 0 {
                let labels = [("feed_publisher_name", "Publisher"), ("feed_publisher_url", "Publisher URL"),
                              ("feed_lang", "Language"), ("default_lang", "Default language"),
                              ("feed_start_date", "Start date"), ("feed_end_date", "End date"),
                              ("feed_version", "Version"), ("feed_contact_email", "Contact e-mail"),
                              ("feed_contact_url", "Contact URL")]
                for (column, label) in labels {
                    guard let c = t.column(column) else { continue }
                    var text = c.text(row: 0)
                    if case .dates(let d) = c.data, c.unparsed.isEmpty, let date = GTFSDate(yyyymmdd: d[0]) { text = date.iso8601 }
                    if !text.isEmpty { feedInfo.append((label, text)) }
                }
            }
            var rowsByName: [String: Int] = [:]
            for t in feed.orderedTables {
                files.append(File(name: t.name, rows: t.rowCount, bytes: nil))
                rowsByName[t.name] = t.rowCount
            }
            for f in feed.extraFiles.sorted(by: { $0.name < $1.name }) {
                if f.name.hasSuffix(".txt") && !f.name.contains("/") {
                    let rows = FeedSummary.csvRecordCount(f.bytes)
                    files.append(File(name: f.name, rows: rows, bytes: nil))
                    rowsByName[f.name] = rows
                } else {
                    files.append(File(name: f.name, rows: nil, bytes: f.bytes.count))
                    rowsByName[f.name] = f.bytes.isEmpty ? 0 : 1
                }
            }
            features = FeedSummary.features(feed, rows: rowsByName)
            serviceDates = feed.serviceDateRange
        }

        /// The features `feed` uses: those the canonical validator derives from a file having
        /// at least one record, then those it derives from a column having a value.
        static func features(_ feed: Feed, rows: [String: Int]) -> [Feature] {
            func has(_ file: String) -> Bool { rows[file, default: 0] > 0 }
            func filled(_ file: String, _ columns: String...) -> Bool {
                guard let t = feed.table(file) else { return false }
                return columns.contains { c in t.column(c).map(hasValue) ?? false }
            }
            let candidates: [(String, String, Bool)] = [
                ("Shapes", "Base", has("shapes.txt")),
                ("Frequency-Based Service", "Base", has("frequencies.txt")),
                ("Transfers", "Base", has("transfers.txt")),
                ("Feed Information", "Base", has("feed_info.txt")),
                ("Attributions", "Base", has("attributions.txt")),
                ("Translations", "Base", has("translations.txt")),
                ("Route Colors", "Base", filled("routes.txt", "route_color", "route_text_color")),
                ("Headsigns", "Base", filled("trips.txt", "trip_headsign") || filled("stop_times.txt", "stop_headsign")),
                ("Location Types", "Base", filled("stops.txt", "location_type")),
                ("Bike Allowed", "Base", filled("trips.txt", "bikes_allowed")),
                ("Wheelchair Accessibility", "Accessibility",
                 filled("trips.txt", "wheelchair_accessible") || filled("stops.txt", "wheelchair_boarding")),
                ("Text-to-Speech", "Accessibility", filled("stops.txt", "tts_stop_name")),
                ("Pathway Connections", "Pathways", has("pathways.txt")),
                ("Levels", "Pathways", has("levels.txt")),
                ("In-station Traversal Time", "Pathways", filled("pathways.txt", "traversal_time")),
                ("Pathway Signs", "Pathways", filled("pathways.txt", "signposted_as", "reversed_signposted_as")),
                ("Pathway Details", "Pathways", filled("pathways.txt", "max_slope", "min_width", "length", "stair_count")),
                ("Fares V1", "Fares", has("fare_attributes.txt")),
                ("Fare Products", "Fares V2", has("fare_products.txt")),
                ("Fare Media", "Fares V2", has("fare_media.txt")),
                ("Zone-Based Fares", "Fares V2", has("areas.txt")),
                ("Fares Transfers", "Fares V2", has("fare_transfer_rules.txt")),
                ("Time-Based Fares", "Fares V2", has("timeframes.txt")),
                ("Route-Based Fares", "Fares V2", filled("routes.txt", "network_id") || has("networks.txt")),
                ("Continuous Stops", "Flexible Services",
                 filled("routes.txt", "continuous_pickup", "continuous_drop_off")
                     || filled("stop_times.txt", "continuous_pickup", "continuous_drop_off")),
                ("Booking Rules", "Flexible Services", has("booking_rules.txt")),
                ("Fixed-Stops Demand Responsive Transit", "Flexible Services", has("location_groups.txt")),
                ("Zone-Based Demand Responsive Services", "Flexible Services",
                 has("locations.geojson") && filled("stop_times.txt", "location_id")),
            ]
            return candidates.filter(\.2).map { Feature(name: $0.0, group: $0.1) }
        }

        /// Whether any row of `column` has a value.
        /// - Complexity: O(rows) at most; stops at the first value.
        static func hasValue(_ column: Column) -> Bool {
            if !column.unparsed.isEmpty { return true }
            switch column.data {
            case .strings(let s): return s.codes.contains { $0 >= 0 }
            case .integers(let v): return v.contains { $0 != Column.missingInteger }
            case .smallIntegers(let v): return v.contains { $0 != Column.missingSmallInteger }
            case .reals(let v): return v.contains { !$0.isNaN }
            case .times(let v), .dates(let v): return v.contains { $0 >= 0 }
            }
        }

        /// The data records of a CSV file: its non-empty lines, a line break inside quotes
        /// not ending one, less the header.
        /// - Complexity: O(bytes).
        static func csvRecordCount(_ bytes: [UInt8]) -> Int {
            var records = 0, quoted = false, content = false
            for b in bytes {
                if b == 0x22 {
                    quoted.toggle()
                    content = true
                } else if (b == 0x0A || b == 0x0D) && !quoted {
                    if content { records += 1 }
                    content = false
                } else {
                    content = true
                }
            }
            if content { records += 1 }
            return max(0, records - 1)
        }
    }

    /// The summary section: totals, the feed's identity, its files and features.
    static func summarySection(_ s: inout String, report: ValidationReport, feed: Feed?, path: String,
                               today: GTFSDate?, samplesPerCode: Int, includeInfo: Bool) {
        s += "<section id=\"summary\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n"
        s += "<ul class=\"totals\">\n"
        for severity in Severity.allCases {
            let n = report.severityCounts[severity, default: 0]
            s += "<li class=\"total \(severity.rawValue)\">\(badge(severity))"
            s += "<span class=\"n\">\(grouped(n))</span> \(plural(severity, n))</li>\n"
        }
        s += "</ul>\n<dl class=\"facts\">\n"
        s += "<dt>Feed</dt><dd><code>\(escape(path))</code></dd>\n"
        s += "<dt>Date checked against</dt><dd>"
        s += today.map { "\($0.iso8601) (<code>--today \($0.description)</code>)" } ?? "none (date-based checks skipped)"
        s += "</dd>\n"
        let summary = feed.map(FeedSummary.init)
        if let range = summary?.serviceDates {
            s += "<dt>Service dates</dt><dd>\(range.lowerBound.iso8601) to \(range.upperBound.iso8601)</dd>\n"
        }
        s += "<dt>Notice codes</dt><dd>\(report.counts.count) codes, \(grouped(report.counts.values.reduce(0, +))) findings; "
        s += "at most \(grouped(samplesPerCode)) listed per code"
        if !includeInfo { s += "; findings of severity info counted but not listed" }
        s += "</dd>\n</dl>\n"
        guard let summary else {
            s += "<p class=\"note\">The feed could not be read, so there is nothing more to summarise.</p>\n</section>\n"
            return
        }
        s += "<h3>Agencies</h3>\n"
        if summary.agencies.isEmpty {
            s += "<p class=\"note\">No agencies (agency.txt is missing or empty).</p>\n"
        } else {
            s += "<div class=\"scroll\"><table class=\"plain\">\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">URL</th>"
            s += "<th scope=\"col\">Time zone</th></tr></thead>\n<tbody>\n"
            for a in summary.agencies {
                s += "<tr><td>\(escape(a.name, limit: 200))</td><td class=\"wrap\">\(link(a.url))</td>"
                s += "<td>\(escape(a.timezone, limit: 80))</td></tr>\n"
            }
            s += "</tbody></table></div>\n"
        }
        if !summary.feedInfo.isEmpty {
            s += "<h3>Feed info</h3>\n<dl class=\"facts\">\n"
            for (label, value) in summary.feedInfo {
                let shown = label.hasSuffix("URL") ? link(value) : escape(value, limit: 200)
                s += "<dt>\(label)</dt><dd class=\"wrap\">\(shown)</dd>\n"
            }
            s += "</dl>\n"
        }
        s += "<h3>Files</h3>\n<div class=\"scroll\"><table class=\"plain files\">\n"
        s += "<thead><tr><th scope=\"col\">File</th><th scope=\"col\" class=\"num\">Rows</th></tr></thead>\n<tbody>\n"
        for f in summary.files {
            let size = f.rows.map(grouped) ?? f.bytes.map { "<span class=\"note\">\(byteSize($0))</span>" } ?? ""
            s += "<tr><td><code>\(escape(f.name, limit: 200))</code></td><td class=\"num\">\(size)</td></tr>\n"
        }
        s += "</tbody></table></div>\n"
        s += "<h3>GTFS features used</h3>\n"
        if summary.features.isEmpty {
            s += "<p class=\"note\">Only the core files; no optional features.</p>\n"
        } else {
            s += "<dl class=\"features\">\n"
            var groups: [String] = []
            for f in summary.features where !groups.contains(f.group) { groups.append(f.group) }
            for g in groups {
                s += "<dt>\(g)</dt><dd><ul>"
                for f in summary.features where f.group == g { s += "<li>\(f.name)</li>" }
                s += "</ul></dd>\n"
            }
            s += "</dl>\n"
        }
        s += "</section>\n"
    }

    /// `value` as a link when it is an http(s) URL (anything else, `javascript:` included, is
    /// shown as text).
    static func link(_ value: String) -> String {
        let lower = value.lowercased()
        guard (lower.hasPrefix("https://") || lower.hasPrefix("http://")), value.unicodeScalars.count <= 500 else {
            return escape(value, limit: 200)
        }
        return "<a href=\"\(escape(value))\" rel=\"noreferrer\">\(escape(value))</a>"
    }

    /// `1.2 MB`, `340 KB`, `12 bytes`.
    static func byteSize(_ n: Int) -> String {
        if n < 1024 { return "\(n) bytes" }
        if n < 1024 * 1024 { return "\((n + 512) / 1024) KB" }
        let tenths = (n * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
