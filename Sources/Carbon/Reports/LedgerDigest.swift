public import GTFS

/// The ledger summed for a report: per service day, mode, source (operator) and trip, net of
/// reversals, with the points issued, reversed, redeemed and expired, the riders, the leg
/// distances and the methodology and policy versions in force.
///
/// Built in one pass over the entries in commit order (``read(_:from:to:)``, or ``add(_:)``
/// on entries as ``Ledger/forEachEntry(_:)`` gives them), in memory bounded by the number of
/// days, modes, sources, trips and riders, plus 12 bytes per credit (a reversal carries no
/// distance, so the credit's is looked up when it is reversed).
///
/// Net, like the balances: a reversal carries the day, mode, source, trip and versions of the
/// credit it cancels, and its negative grams and points subtract from them there, so no
/// total ever counts a cancelled credit. Redemptions and expiries carry no service day; with a
/// day range they are counted by the UTC day they were recorded.
public struct LedgerDigest: Sendable {
    /// Net sums of credits and their reversals.
    public struct Totals: Sendable, Equatable, Hashable {
        /// Legs: credits less reversals.
        public var legs: Int
        /// Grams CO2e avoided.
        public var grams: Int
        /// Points.
        public var points: Int
        /// Metres travelled (passenger-metres).
        public var metres: Int

        /// Totals (zero by default).
        public init(legs: Int = 0, grams: Int = 0, points: Int = 0, metres: Int = 0) {
            self.legs = legs
            self.grams = grams
            self.points = points
            self.metres = metres
        }

        /// The sums of two totals.
        public static func + (a: Totals, b: Totals) -> Totals {
            Totals(legs: a.legs + b.legs, grams: a.grams + b.grams, points: a.points + b.points, metres: a.metres + b.metres)
        }

        /// `a` less `b`.
        public static func - (a: Totals, b: Totals) -> Totals {
            Totals(legs: a.legs - b.legs, grams: a.grams - b.grams, points: a.points - b.points, metres: a.metres - b.metres)
        }

        /// Adds `b` to `a`.
        public static func += (a: inout Totals, b: Totals) { a = a + b }
    }

    /// One pair of methodology and policy versions recorded on credits.
    public struct VersionUse: Sendable, Equatable {
        /// The factor set (methodology) version.
        public let methodologyVersion: String
        /// The policy version.
        public let policyVersion: String
        /// Credits recorded with this pair (reversed ones included).
        public internal(set) var credits: Int
        /// Of those, how many were reversed.
        public internal(set) var reversals: Int
        /// Net totals of this pair's credits.
        public internal(set) var net: Totals
        /// The first and last service day of its credits.
        public internal(set) var firstDay: Int32, lastDay: Int32
        /// When its first and last credit were recorded (UTC, ISO 8601).
        public internal(set) var firstRecorded: String, lastRecorded: String
    }

    /// The first service day counted (`--from`), if any.
    public let from: GTFSDate?
    /// The last service day counted (`--to`), if any.
    public let to: GTFSDate?

    /// Ledger entries read, whether counted or not.
    public private(set) var entriesRead = 0
    /// Entries outside the day range, left out.
    public private(set) var entriesOutside = 0
    /// Every credit, reversed ones included (gross).
    public private(set) var credited = Totals()
    /// What reversals cancelled (positive sums; `metres` only where the credit was found).
    public private(set) var reversed = Totals()
    /// Credits a daily cap reduced.
    public private(set) var cappedCredits = 0
    /// Redemption entries and the points they spent (positive).
    public private(set) var redemptions = 0, redeemedPoints = 0
    /// Expiry entries and the points that lapsed (positive).
    public private(set) var expiries = 0, expiredPoints = 0
    /// Net totals per service day (`YYYYMMDD`) and mode.
    public private(set) var byDayAndMode: [Int32: [String: Totals]] = [:]
    /// Net totals per service day (`YYYYMMDD`) and source (operator).
    public private(set) var byDayAndSource: [Int32: [String: Totals]] = [:]
    /// Net totals per GTFS trip id (transit legs).
    public private(set) var byTrip: [String: Totals] = [:]
    /// Net legs per mode and distance class: the key is the distance in whole hundreds of
    /// metres (`metres / 100`).
    public private(set) var distanceClasses: [String: [Int: Int]] = [:]
    /// Credits without a service day (none are written today); counted in the totals, not per day.
    public private(set) var undatedCredits = 0
    /// Reversals whose credit was not read before them (entries not in commit order).
    public private(set) var reversalsWithoutCredit = 0

    private var versionIndex: [String: Int] = [:]
    /// The version pairs, in the order first seen (commit order).
    public private(set) var versions: [VersionUse] = []
    private var riderLegs: [String: Int] = [:]
    private var creditIDs: [Int64] = []
    private var creditMetres: [Int32] = []

    /// An empty digest counting service days from `from` to `to` (inclusive; `nil`: open).
    public init(from: GTFSDate? = nil, to: GTFSDate? = nil) {
        self.from = from
        self.to = to
    }

    /// The digest of `entries` (in commit order) from `from` to `to`.
    public init(entries: some Sequence<LedgerEntry>, from: GTFSDate? = nil, to: GTFSDate? = nil) {
        self.init(from: from, to: to)
        for e in entries { add(e) }
    }

    /// Reads every entry of `ledger` a page at a time and sums those from `from` to `to`.
    /// - Throws: ``CarbonError`` `ledger_read`.
    /// - Complexity: one pass over the ledger.
    public static func read(_ ledger: any Ledger, from: GTFSDate? = nil, to: GTFSDate? = nil) throws(CarbonError) -> LedgerDigest {
        var digest = LedgerDigest(from: from, to: to)
        try ledger.forEachEntry { digest.add($0) }
        return digest
    }

    /// Credits less reversals: what the balances hold.
    public var net: Totals { credited - reversed }

    /// Points issued less reversed, redeemed and expired: the sum of the riders' balances when
    /// no day range is set.
    public var outstandingPoints: Int { credited.points - reversed.points - redeemedPoints - expiredPoints }

    /// Riders with at least one credit that was not reversed.
    public var riders: Int { riderLegs.values.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }

    /// The service days with credits, in order.
    public var days: [Int32] { byDayAndMode.keys.sorted() }

    /// Net totals per mode over every day.
    public var byMode: [String: Totals] { Self.sum(byDayAndMode) }

    /// Net totals per source over every day.
    public var bySource: [String: Totals] { Self.sum(byDayAndSource) }

    private static func sum(_ table: [Int32: [String: Totals]]) -> [String: Totals] {
        var out: [String: Totals] = [:]
        for (_, row) in table { for (k, t) in row { out[k, default: Totals()] += t } }
        return out
    }

    /// Whether `day` is inside the range.
    public func contains(day: Int32) -> Bool {
        if let from, day < from.yyyymmdd { return false }
        if let to, day > to.yyyymmdd { return false }
        return true
    }

    /// Counts one entry. Entries must come in commit order (a reversal after its credit).
    public mutating func add(_ e: LedgerEntry) {
        entriesRead += 1
        switch e.kind {
        case .credit, .reversal:
            if let day = e.day {
                guard contains(day: day) else { entriesOutside += 1; return }
            } else if from != nil || to != nil {
                entriesOutside += 1
                return
            }
            addPriced(e)
        case .redemption, .expiry:
            if from != nil || to != nil {
                guard let day = Self.recordedDay(e.recordedAt), contains(day: day) else { entriesOutside += 1; return }
            }
            if e.kind == .redemption {
                redemptions += 1
                redeemedPoints -= e.points
            } else {
                expiries += 1
                expiredPoints -= e.points
            }
        }
    }

    private mutating func addPriced(_ e: LedgerEntry) {
        let isCredit = e.kind == .credit
        var metres = 0, known = isCredit
        if isCredit {
            metres = max(0, e.metres ?? 0)
            if creditIDs.last.map({ e.id > $0 }) ?? true {
                creditIDs.append(e.id)
                creditMetres.append(Int32(clamping: metres))
            }
        } else if let id = e.reverses, let m = creditMetres(of: id) {
            metres = -m
            known = true
        } else {
            reversalsWithoutCredit += 1
        }
        let sign = isCredit ? 1 : -1
        let delta = Totals(legs: sign, grams: e.grams, points: e.points, metres: metres)
        if isCredit {
            credited += delta
            if e.reason == "capped" { cappedCredits += 1 }
        } else {
            reversed += Totals(legs: 1, grams: -e.grams, points: -e.points, metres: -metres)
        }
        let mode = e.mode ?? "unknown"
        if let day = e.day {
            byDayAndMode[day, default: [:]][mode, default: Totals()] += delta
            byDayAndSource[day, default: [:]][e.source, default: Totals()] += delta
        } else if isCredit {
            undatedCredits += 1
        }
        if let trip = e.tripID, !trip.isEmpty { byTrip[trip, default: Totals()] += delta }
        if known {
            distanceClasses[mode, default: [:]][abs(metres) / 100, default: 0] += sign
        }
        riderLegs[e.rider, default: 0] += sign
        let key = (e.methodologyVersion ?? "") + "\u{1F}" + (e.policyVersion ?? "")
        let day = e.day ?? 0
        if let i = versionIndex[key] {
            versions[i].net += delta
            if isCredit {
                versions[i].credits += 1
                versions[i].firstDay = min(versions[i].firstDay, day)
                versions[i].lastDay = max(versions[i].lastDay, day)
                versions[i].lastRecorded = max(versions[i].lastRecorded, e.recordedAt)
            } else {
                versions[i].reversals += 1
            }
        } else {
            versionIndex[key] = versions.count
            versions.append(VersionUse(methodologyVersion: e.methodologyVersion ?? "", policyVersion: e.policyVersion ?? "",
                                       credits: isCredit ? 1 : 0, reversals: isCredit ? 0 : 1, net: delta,
                                       firstDay: day, lastDay: day, firstRecorded: e.recordedAt, lastRecorded: e.recordedAt))
        }
    }

    /// The metres of credit `id`, when it was read (binary search over the credits' ids).
    private func creditMetres(of id: Int64) -> Int? {
        var lo = 0, hi = creditIDs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if creditIDs[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < creditIDs.count && creditIDs[lo] == id ? Int(creditMetres[lo]) : nil
    }

    /// The UTC day (`YYYYMMDD`) of an ISO 8601 time `YYYY-MM-DDT…`, or `nil`.
    static func recordedDay(_ iso: String) -> Int32? {
        let b = Array(iso.utf8.prefix(10))
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        var v: Int32 = 0
        for (i, c) in b.enumerated() where i != 4 && i != 7 {
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int32(c - 0x30)
        }
        return GTFSDate(yyyymmdd: v)?.yyyymmdd
    }
}
