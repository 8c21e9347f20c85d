import Crypto
import GTFS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The rules both ledger backends share: names, key ids, the clock, and how a batch's caps
/// are applied once its stored totals are known.
public enum LedgerRules {
    /// Whether `name` can be a source: 1 to 64 of `A–Z a–z 0–9 _ . -`.
    public static func isValidSource(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2E || c == 0x2D
        }
    }

    /// The longest identifier the ledger stores, in bytes of UTF-8: event ids, rider ids,
    /// sources, trip ids and redemption references, as in the trip logs
    /// (``TripLogReader/maxFieldBytes``).
    public static let maxIdentifierBytes = TripLogReader.maxFieldBytes

    /// Throws ``CarbonError`` `field_too_long` when `value` is over ``maxIdentifierBytes``.
    static func checkLength(_ value: String, field: String, location: String? = nil) throws(CarbonError) {
        let bytes = value.utf8.count
        guard bytes > maxIdentifierBytes else { return }
        throw CarbonError(.fieldTooLong, file: location,
                          "\(field) is \(bytes) bytes long, more than the ledger's \(maxIdentifierBytes)-byte limit (UTF-8); nothing was written")
    }

    /// Checks the identifiers of every leg before a credit writes anything (the trip readers
    /// already reject longer ones; this holds for legs made any other way).
    /// - Throws: ``CarbonError`` `field_too_long`, naming the event.
    static func checkIdentifiers(_ legs: [PricedLeg], location: String) throws(CarbonError) {
        for leg in legs {
            for (field, value) in [("event_id", leg.eventID), ("source", leg.source), ("rider_id", leg.riderID), ("trip_id", leg.tripID ?? "")]
            where value.utf8.count > maxIdentifierBytes {
                throw CarbonError(.fieldTooLong, file: location, line: leg.line,
                                  "\(field) of the trip on line \(leg.line) is \(value.utf8.count) bytes long, more than the ledger's \(maxIdentifierBytes)-byte limit (UTF-8); nothing was credited")
            }
        }
    }

    /// Now, UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    static func utcNow() -> String {
        let t = Int(time(nil))
        return GTFSDate(daysSinceEpoch: t / 86_400).iso8601 + "T" + clock(Int32(t % 86_400)) + "Z"
    }

    /// Checks a key request: a source for (and only for) operators, modes only for operators.
    /// - Throws: ``CarbonError`` `invalid_key`.
    static func checkKeyRequest(role: KeyRole, source: String?, modes: [Mode]?) throws(CarbonError) {
        switch (role, source) {
        case (.operator, nil):
            throw CarbonError(.invalidKey, "an operator key needs --source NAME (the source its trips are credited as)")
        case (.operator, let s?) where !isValidSource(s):
            throw CarbonError(.invalidKey, "source '\(s)': use 1 to 64 letters, digits, '_', '.' or '-'")
        case (.operator, _):
            break
        case (_, let s?):
            throw CarbonError(.invalidKey, "--source '\(s)' is for operator keys only; a \(role.rawValue) key is not bound to a source")
        case (_, nil):
            guard modes == nil else { throw CarbonError(.invalidKey, "--modes is for operator keys only") }
        }
        if let modes, modes.isEmpty { throw CarbonError(.invalidKey, "--modes needs at least one mode") }
    }

    /// A new key secret: `tpk_` + 64 hex digits (256 random bits from swift-crypto).
    static func newSecret() -> String {
        "tpk_" + Hashing.hex(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// A key's id (`k_` + the first 8 bytes of its SHA-256 in hex) and its SHA-256.
    static func keyID(of secret: String) -> (id: String, hash: [UInt8]) {
        let hash = Array(SHA256.hash(data: Array(secret.utf8)))
        return ("k_" + Hashing.hex(hash.prefix(8)), hash)
    }

    /// Whether `token` has the form of a key secret.
    static func isKeyShaped(_ token: String) -> Bool {
        token.utf8.count == 68 && token.hasPrefix("tpk_")
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    /// A consent request checked and in stored form: sorted, de-duplicated, comma-separated.
    /// - Throws: ``CarbonError`` `invalid_consent`.
    static func consentText(rider: String, sources: [String], modes: [Mode]?) throws(CarbonError) -> (sources: String, modes: String?) {
        guard !rider.isEmpty else { throw CarbonError(.invalidConsent, "consent needs a rider id") }
        try checkLength(rider, field: "rider_id")
        for s in sources where !isValidSource(s) {
            throw CarbonError(.invalidConsent, "source '\(s)': use 1 to 64 letters, digits, '_', '.' or '-'")
        }
        return (Array(Set(sources)).sorted().joined(separator: ","),
                modes.map { Array(Set($0.map(\.rawValue))).sorted().joined(separator: ",") })
    }

    // The idempotency keys of the entries that are not credits (a credit's is `source␟event_id`,
    // ``PricedLeg/key``). Both backends write them, and copies compare them: one spelling.

    /// The key of the reversal of credit entry `id`.
    static func reversalKey(of id: Int64) -> String { "reversal:\(id)" }

    /// The key of the redemption with `reference`.
    static func redemptionKey(_ reference: String) -> String { "redemption:" + reference }

    /// The event id (reference) of `rider`'s expiry as of `asOf`; its key is `expiry:` + it.
    static func expiryReference(rider: String, asOf: GTFSDate) -> String { rider + ":" + asOf.description }

    /// The key of an expiry with `reference` (``expiryReference(rider:asOf:)``).
    static func expiryKey(_ reference: String) -> String { "expiry:" + reference }

    /// Checks a redemption's arguments.
    /// - Throws: ``CarbonError`` `invalid_redemption`.
    static func checkRedemption(rider: String, points: Int, reference: String, location: String) throws(CarbonError) {
        try checkLength(rider, field: "rider_id", location: location)
        try checkLength(reference, field: "reference", location: location)
        guard points > 0 else {
            throw CarbonError(.invalidRedemption, file: location, "cannot redeem \(points) points: give a positive number of points")
        }
        guard !reference.isEmpty else {
            throw CarbonError(.invalidRedemption, file: location,
                              "a redemption needs a non-empty reference (a voucher or order id) so that a retry is not spent twice")
        }
    }

    /// The error of a reference used before for another rider or amount.
    static func referenceConflict(_ reference: String, _ earlier: LedgerEntry, location: String) -> CarbonError {
        CarbonError(.referenceConflict, file: location, """
            reference '\(reference)' was already used by entry \(earlier.id) to redeem \(-earlier.points) points \
            for rider '\(earlier.rider)'; nothing was redeemed: use a new reference for a different redemption
            """)
    }

    /// The error of a balance too small for a redemption.
    static func insufficient(_ rider: String, balance: Int, points: Int, location: String) -> CarbonError {
        CarbonError(.insufficientPoints, file: location, "rider '\(rider)' has \(max(0, balance)) points; cannot redeem \(points): nothing was redeemed")
    }

    /// Checks an expiry's validity period.
    /// - Throws: ``CarbonError`` `invalid_expiry`.
    static func checkExpiry(validDays: Int, location: String) throws(CarbonError) {
        guard validDays >= 1, validDays <= 1_000_000 else {
            throw CarbonError(.invalidExpiry, file: location, "points valid for \(validDays) days: give from 1 to 1000000 days")
        }
    }

    /// The reason recorded on expiry entries.
    static func expiryReason(asOf: GTFSDate, validDays: Int) -> String {
        let cutoff = asOf.adding(days: -validDays)
        return "points earned before \(cutoff.iso8601) lapsed (valid \(validDays) days, as of \(asOf.iso8601))"
    }

    /// The entry of a credit `eventID` to reverse among `credits` (those with that event id,
    /// or with that source's key).
    /// - Throws: ``CarbonError`` `not_found` or `ambiguous_event`.
    static func creditToReverse(_ credits: [LedgerEntry], eventID: String, source: String?, location: String) throws(CarbonError) -> LedgerEntry {
        guard let credit = credits.first else {
            throw CarbonError(.notFound, file: location,
                              "no credit with event id '\(eventID)'\(source.map { " from source '\($0)'" } ?? ""); check `transit carbon statement RIDER`")
        }
        guard credits.count == 1 else {
            throw CarbonError(.ambiguousEvent, file: location,
                              "event id '\(eventID)' was credited from several sources (\(credits.map(\.source).joined(separator: ", "))); pass --source")
        }
        return credit
    }

    /// Applies a batch's caps leg by leg, in order, once the stored state is known.
    /// - Parameters:
    ///   - known: the content hash of each of the batch's keys already stored.
    ///   - totals: the stored rider-day totals of every rider-day of a new leg; updated.
    ///   - consents: with a policy that requires consent, the consent in force of every rider
    ///     of a new leg.
    /// - Returns: one outcome per leg and the entries to insert, in order.
    static func plan(_ legs: [PricedLeg], policy: Policy, known: [String: String], totals: inout [RiderDay: DayTotals],
                     consents: [String: Consent?]) -> (outcomes: [CreditOutcome], rows: [NewEntry]) {
        var out: [CreditOutcome] = []
        out.reserveCapacity(legs.count)
        var rows: [NewEntry] = []
        rows.reserveCapacity(legs.count)
        var batchHashes: [String: String] = [:]
        let perRiderDay = policy.caps.perRiderDayGrams
        for (i, leg) in legs.enumerated() {
            if let hash = known[leg.key] ?? batchHashes[leg.key] {
                out.append(hash == leg.contentHash ? .duplicate : .conflict(existingHash: hash))
                continue
            }
            if policy.consentRequired, consents[leg.riderID]??.allows(source: leg.source, mode: leg.mode) != true {
                out.append(.notConsented)
                continue
            }
            let slot = leg.mode.slot
            let modeCap = policy.caps.modeDay(leg.mode)
            let grams = totals[RiderDay(rider: leg.riderID, day: leg.day.yyyymmdd), default: DayTotals()].take(leg.grams, slot: slot) { day in
                max(0, min(perRiderDay - day.all, modeCap - day.grams[slot]))
            }
            let points = grams / policy.gramsPerPoint
            let capped = grams < leg.gramsUncapped
            batchHashes[leg.key] = leg.contentHash
            rows.append(NewEntry(index: i, grams: grams, points: points, capped: capped))
            out.append(.credited(grams: grams, points: points, capped: capped))
        }
        return (out, rows)
    }
}

/// A rider and a cap day (`YYYYMMDD`).
struct RiderDay: Hashable {
    let rider: String
    let day: Int32
}

/// A rider-day's credited grams per mode (indexed by ``Mode/slot``) and their sum.
struct DayTotals {
    var grams = InlineArray<10, Int>(repeating: 0)
    var all = 0

    /// Adds `min(grams, room(self))` to the mode in `slot` and returns it.
    mutating func take(_ grams: Int, slot: Int, room: (DayTotals) -> Int) -> Int {
        let g = min(grams, room(self))
        self.grams[slot] += g
        all += g
        return g
    }

    /// Adds stored grams (a mode this version does not know counts towards the sum only).
    mutating func add(stored g: Int, mode: Mode?) {
        if let mode { grams[mode.slot] += g }
        all += g
    }
}

/// A credit to insert: the leg's index in its batch and what the caps left of it.
struct NewEntry {
    let index: Int
    let grams: Int
    let points: Int
    let capped: Bool
}

extension Mode {
    /// A dense index `0..<10` (``DayTotals`` holds one total per mode).
    var slot: Int {
        switch self {
        case .walk: 0
        case .bike: 1
        case .bus: 2
        case .coach: 3
        case .tram: 4
        case .metro: 5
        case .rail: 6
        case .carPetrol: 7
        case .carDiesel: 8
        case .carElectric: 9
        }
    }

    /// Modes stored as comma-separated raw values (unknown names are skipped).
    static func list(stored text: String) -> [Mode] {
        text.split(separator: ",").compactMap { Mode(rawValue: String($0)) }
    }
}
