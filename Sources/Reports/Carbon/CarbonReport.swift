// The carbon report: what the ledger credited, per day, mode, operator and route, what was
// rejected, and the versions of the methodology in force.

public import Carbon
import Charts
public import GTFS

/// What the carbon report is drawn from.
public struct CarbonReportInput: Sendable {
    /// The ledger summed over the report's days (``Carbon/LedgerDigest/read(_:from:to:)``).
    public var digest: LedgerDigest
    /// The rejections counted from `transit carbon credit --rejections` files; `nil` when none
    /// were given (the ledger keeps no rejected record).
    public var rejections: RejectionTally?
    /// The feed the transit legs were priced against, to group trips by route; `nil` when not given.
    public var feed: Feed?
    /// Where the ledger is, as shown (a path, or a URL without its password).
    public var ledgerName: String
    /// The feed's path, as shown.
    public var feedName: String?
    /// The command that made the report, for the footer.
    public var madeBy: String

    /// An input (see the properties).
    public init(digest: LedgerDigest, rejections: RejectionTally? = nil, feed: Feed? = nil, ledgerName: String,
                feedName: String? = nil, madeBy: String) {
        self.digest = digest
        self.rejections = rejections
        self.feed = feed
        self.ledgerName = ledgerName
        self.feedName = feedName
        self.madeBy = madeBy
    }
}

/// The carbon report (`transit carbon report`): one self-contained HTML page.
///
/// Sections: the totals (legs, riders, CO2e avoided, points issued, reversed, redeemed,
/// expired); points and CO2e per service day stacked by mode and by source; rejections by
/// reason; leg distances; the top routes by CO2e avoided; the methodology and policy
/// versions in force. Every figure is net of reversals, like the riders' balances.
public enum CarbonReport {
    /// How many routes the routes chart and table show.
    public static let topRoutes = 10
    /// How many sources the per-day charts name; the others are summed as "other sources".
    public static let namedSources = 7

    /// The report's HTML (figures: 4 per-day charts, the distance histogram, and the rejection
    /// and route charts when their inputs are given and hold data).
    public static func html(_ input: CarbonReportInput) -> String {
        let d = input.digest
        var page = Page(title: "Carbon points", subtitle: subtitle(input), madeBy: input.madeBy)
        page.section("Totals", id: "totals", html: totals(d))
        page.section("Per service day", id: "per-day", html: perDay(d, page: &page))
        page.section("Rejections by reason", id: "rejections", html: rejections(input.rejections, digest: d))
        page.section("Leg distances", id: "distances", html: distances(d))
        page.section("Top routes by CO2e avoided", id: "routes", html: routes(d, feed: input.feed, feedName: input.feedName))
        page.section("Methodology and policy versions", id: "versions", html: versions(d))
        return page.rendered()
    }

    static func subtitle(_ input: CarbonReportInput) -> String {
        let d = input.digest
        var s = "Ledger \(input.ledgerName) · "
        switch (d.from, d.to) {
        case (nil, nil):
            if let first = d.days.first, let last = d.days.last, let a = GTFSDate(yyyymmdd: first), let b = GTFSDate(yyyymmdd: last) {
                s += "service days \(a.iso8601) to \(b.iso8601) (every entry)"
            } else {
                s += "every entry"
            }
        case (let a, let b):
            s += "service days \(a?.iso8601 ?? "start") to \(b?.iso8601 ?? "end")"
        }
        if let f = input.feedName { s += " · routes from \(f)" }
        return s
    }

    // MARK: Totals

    static func totals(_ d: LedgerDigest) -> String {
        let net = d.net
        var html = Page.cards([
            ("Legs credited", Format.grouped(net.legs),
             d.reversed.legs > 0 ? "\(count(d.credited.legs, "credit")), \(Format.grouped(d.reversed.legs)) reversed" : "none reversed"),
            ("Riders", Format.grouped(d.riders), "with a credit not reversed"),
            ("CO2e avoided", mass(net.grams), "\(Format.grouped(net.grams)) g exactly"),
            ("Passenger-km", Format.number(Double(net.metres) / 1000, places: 0), "on the legs credited"),
            ("Points issued", Format.grouped(d.credited.points), "on \(count(d.credited.legs, "credit")), \(Format.grouped(d.cappedCredits)) capped"),
            ("Points reversed", Format.grouped(d.reversed.points), count(d.reversed.legs, "reversal")),
            ("Points redeemed", Format.grouped(d.redeemedPoints), count(d.redemptions, "redemption")),
            ("Points expired", Format.grouped(d.expiredPoints), count(d.expiries, "expiry entry", "expiry entries")),
            ("Points outstanding", Format.grouped(d.outstandingPoints),
             d.from == nil && d.to == nil ? "the sum of the riders' balances" : "issued less reversed, redeemed, expired"),
        ])
        html += Page.paragraph("""
            Every figure is net of reversals, like the riders' balances: a reversal cancels its credit on the credit's \
            service day, mode, source and trip. Credits and reversals are counted by service day; redemptions and \
            expiries carry no service day\(d.from != nil || d.to != nil ? " and are counted by the UTC day they were recorded" : ""). \
            CO2e is grams avoided against the baseline mode, as priced and capped when credited.
            """, class: "note")
        var facts: [(String, String)] = [("Entries read", Format.grouped(d.entriesRead))]
        if d.from != nil || d.to != nil { facts.append(("Outside the days", Format.grouped(d.entriesOutside))) }
        if d.undatedCredits > 0 { facts.append(("Credits without a day", Format.grouped(d.undatedCredits))) }
        if d.reversalsWithoutCredit > 0 {
            facts.append(("Reversals without their credit", "\(Format.grouped(d.reversalsWithoutCredit)) (their distance is not subtracted)"))
        }
        return html + Page.facts(facts)
    }

    /// A note paragraph whose `backquoted` spans are set as code (the rest escaped).
    static func codeNote(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false)
        var html = "<p class=\"note\">"
        for (i, part) in parts.enumerated() {
            html += i % 2 == 1 ? "<code>\(Markup.escape(String(part)))</code>" : Markup.escape(String(part))
        }
        return html + "</p>\n"
    }

    /// `n` and the noun, singular for 1.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        Format.grouped(n) + " " + (n == 1 ? singular : plural ?? singular + "s")
    }

    /// Grams as text in g, kg or t.
    static func mass(_ grams: Int) -> String {
        let g = Double(grams)
        if abs(g) >= 1_000_000 { return Format.number(g / 1_000_000, places: 2) + " t" }
        if abs(g) >= 1_000 { return Format.number(g / 1_000, places: 1) + " kg" }
        return Format.grouped(grams) + " g"
    }

    /// The unit CO2e values up to `grams` read best in: its name, grams per unit and decimals.
    static func massUnit(upTo grams: Double) -> (name: String, grams: Double, places: Int) {
        if grams >= 2_000_000 { return ("t", 1_000_000, 2) }
        if grams >= 2_000 { return ("kg", 1_000, 1) }
        return ("g", 1, 0)
    }

    // MARK: Versions

    static func versions(_ d: LedgerDigest) -> String {
        var html = Page.paragraph("""
            Each credit records the factor set (methodology) and policy it was priced with; a new version applies to \
            later credits only. Counts are of the credits in this report; CO2e and points are net of reversals.
            """)
        guard !d.versions.isEmpty else { return html + Page.paragraph("No credits in this report.", class: "note") }
        let latest = d.versions.max { $0.lastRecorded < $1.lastRecorded }
        if let latest {
            html += Page.facts([("Methodology in force", latest.methodologyVersion.isEmpty ? "not recorded" : latest.methodologyVersion),
                                ("Policy in force", latest.policyVersion.isEmpty ? "not recorded" : latest.policyVersion),
                                ("Last credit recorded", latest.lastRecorded)])
        }
        let rows: [[Cell]] = d.versions.map { v in
            [Cell(v.methodologyVersion.isEmpty ? "not recorded" : v.methodologyVersion),
             Cell(v.policyVersion.isEmpty ? "not recorded" : v.policyVersion),
             .int(v.credits), .int(v.reversals),
             Cell(mass(v.net.grams), sortKey: String(v.net.grams), numeric: true), .int(v.net.points),
             Cell(v.firstDay == v.lastDay ? day(v.firstDay) : "\(day(v.firstDay)) to \(day(v.lastDay))", sortKey: String(v.firstDay)),
             Cell(v.firstRecorded == v.lastRecorded ? v.firstRecorded : "\(v.firstRecorded) to \(v.lastRecorded)", sortKey: v.firstRecorded)]
        }
        html += Table(caption: "Versions recorded on the credits, first used first",
                      columns: ["methodology", "policy", "credits", "reversed", "CO2e avoided", "points", "service days",
                                "recorded (UTC)"],
                      rows: rows).rendered()
        return html
    }

    /// `YYYY-MM-DD` of a `YYYYMMDD` day, `–` when it is not one.
    static func day(_ v: Int32) -> String {
        GTFSDate(yyyymmdd: v)?.iso8601 ?? "–"
    }
}
