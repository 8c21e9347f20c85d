public import GTFS

/// The carbon-points ledger: append-only entries with permanent idempotency keys, API keys and
/// riders' consent entries. One interface, two backends with the same semantics:
///
/// - ``SQLiteLedger``: one file, embedded (the default; every CLI command, one `transit serve`).
/// - ``PostgresLedger``: a shared PostgreSQL database, for several `transit serve` instances.
///
/// ``openLedger(_:postgres:automaticCheckpoints:)`` opens either from the `--ledger` text (a path or a
/// `postgres://` URL). The rules both keep:
///
/// - Exactly once: every credit has a permanent idempotency key (source + event id); crediting
///   the same record again credits nothing (``CreditOutcome/duplicate``), the same key with
///   other content is a ``CreditOutcome/conflict(existingHash:)``.
/// - Daily caps (per rider and day, all modes and per mode) are never exceeded, whatever the
///   number of concurrent writers and the interleaving.
/// - A batch is one transaction: all of it is stored or none.
/// - Entries are never updated or deleted (the database refuses); corrections are reversals.
/// - Entry ids increase in commit order, so ``entries(after:limit:)`` pages never miss an
///   entry committed later.
/// - A rider's points never go below zero by a redemption or an expiry.
///
/// The calls block; a service runs them off its event loops.
public protocol Ledger: Sendable {
    /// Where the ledger is, for messages: the file path, or the URL without its password.
    var location: String { get }

    /// Whether calls are local (an embedded file): short reads may then run on the caller's
    /// thread. `false` for a database over the network.
    var isEmbedded: Bool { get }

    /// Credits a batch of priced legs in one transaction; one outcome per leg, in order.
    /// - Parameter session: lets the embedded backend keep rider-day totals between the
    ///   batches of one run (``CreditSession``); other backends ignore it.
    /// - Throws: ``CarbonError`` `ledger_write`; then nothing of the batch is stored.
    func credit(_ legs: [PricedLeg], policy: Policy, methodologyVersion: String, session: CreditSession?) throws(CarbonError) -> [CreditOutcome]

    /// Reverses the credit of `eventID` once (see ``ReversalOutcome``).
    /// - Throws: ``CarbonError`` `not_found` or `ambiguous_event`.
    func reversal(eventID: String, source: String?, reason: String) throws(CarbonError) -> ReversalOutcome

    /// Spends `points` of `rider`'s balance once per `reference`.
    /// - Throws: ``CarbonError`` `invalid_redemption`, `reference_conflict`,
    ///   `insufficient_points`, `ledger_write`.
    func redeem(rider: String, points: Int, reference: String, reason: String?) throws(CarbonError) -> RedemptionOutcome

    /// Lapses points earned on cap days before `asOf − validDays` that are not spent yet
    /// (first in, first out), once per rider and as-of day.
    /// - Throws: ``CarbonError`` `invalid_expiry`, `ledger_write`.
    func expire(asOf: GTFSDate, validDays: Int, policyVersion: String?) throws(CarbonError) -> ExpiryRun

    /// The rider's balance: the sums of their entries' grams and points.
    func balance(rider: String) throws(CarbonError) -> Balance

    /// One page of the rider's entries in commit order: ids after `cursor` (all when `nil`),
    /// at most `limit`.
    func statement(rider: String, after cursor: Int64?, limit: Int) throws(CarbonError) -> [LedgerEntry]

    /// One page of every entry in commit order: ids after `cursor`, at most `limit`.
    func entries(after cursor: Int64?, limit: Int) throws(CarbonError) -> [LedgerEntry]

    /// Creates an API key: 256 random bits, of which only the SHA-256 is stored.
    /// - Throws: ``CarbonError`` `invalid_key` for a role/source mismatch, `ledger_write`.
    func createKey(role: KeyRole, source: String?, modes: [Mode]?, name: String?) throws(CarbonError) -> NewAPIKey

    /// Every key, oldest first (revoked ones too).
    func keys() throws(CarbonError) -> [APIKey]

    /// Revokes key `id` (revoking a revoked key changes nothing and returns it).
    /// - Throws: ``CarbonError`` `not_found`, `ledger_write`.
    func revokeKey(id: String) throws(CarbonError) -> APIKey

    /// The active key whose secret is `token`, or `nil` (unknown, malformed or revoked),
    /// compared in constant time.
    func authenticate(token: String) throws(CarbonError) -> APIKey?

    /// Records `rider`'s consent (an empty `sources` withdraws it); the latest is in force.
    /// - Throws: ``CarbonError`` `invalid_consent`, `ledger_write`.
    func recordConsent(rider: String, sources: [String], modes: [Mode]?, recordedBy: String) throws(CarbonError) -> Consent

    /// The consent in force for `rider`, if any was recorded.
    func consent(rider: String) throws(CarbonError) -> Consent?

    /// Whether the ledger answers now (the service's readiness).
    func isReachable() -> Bool

    // MARK: Copying between backends (``LedgerCopy``)

    /// The id of the last entry, 0 when there is none.
    func lastEntryID() throws(CarbonError) -> Int64

    /// Appends entries exactly as given (ids included, in increasing id order, each after
    /// ``lastEntryID()``), in one transaction.
    func append(copied entries: [LedgerEntry]) throws(CarbonError)

    /// Every key with its stored SHA-256.
    func storedKeys() throws(CarbonError) -> [StoredKey]

    /// Adds the keys not present (by id) and records the revocations of those present; one
    /// transaction.
    func merge(keys: [StoredKey]) throws(CarbonError)

    /// The id of the last consent entry, 0 when there is none.
    func lastConsentID() throws(CarbonError) -> Int64

    /// One page of consent entries in id order: ids after `cursor`, at most `limit`.
    func consents(after cursor: Int64, limit: Int) throws(CarbonError) -> [Consent]

    /// Appends consent entries exactly as given (ids included), in one transaction.
    func append(copied consents: [Consent]) throws(CarbonError)
}

extension Ledger {
    /// Credits a batch without a session (see ``credit(_:policy:methodologyVersion:session:)``).
    public func credit(_ legs: [PricedLeg], policy: Policy, methodologyVersion: String) throws(CarbonError) -> [CreditOutcome] {
        try credit(legs, policy: policy, methodologyVersion: methodologyVersion, session: nil)
    }

    /// Reverses the credit of `eventID` (from `source`, needed only when several sources used
    /// that event id): appends a reversal entry with the negated grams and points, which
    /// frees the daily cap the credit used.
    /// - Throws: ``CarbonError`` `not_found`, `ambiguous_event` or `already_reversed`.
    public func reverse(eventID: String, source: String? = nil, reason: String) throws(CarbonError) -> LedgerEntry {
        switch try reversal(eventID: eventID, source: source, reason: reason) {
        case .reversed(let entry):
            return entry
        case .alreadyReversed(let entry):
            throw CarbonError(.alreadyReversed, file: location,
                              "the credit of '\(eventID)' (entry \(entry.reverses ?? 0)) was already reversed by entry \(entry.id)")
        }
    }

    /// Reverses once, from any source (see ``reversal(eventID:source:reason:)``).
    public func reversal(eventID: String, reason: String) throws(CarbonError) -> ReversalOutcome {
        try reversal(eventID: eventID, source: nil, reason: reason)
    }

    /// Redeems without a note (see ``redeem(rider:points:reference:reason:)``).
    public func redeem(rider: String, points: Int, reference: String) throws(CarbonError) -> RedemptionOutcome {
        try redeem(rider: rider, points: points, reference: reference, reason: nil)
    }

    /// Lapses the points of `policy` (its ``Policy/pointsValidDays``) as of `asOf`; when the
    /// policy sets no validity, nothing expires and the run is empty.
    public func expire(asOf: GTFSDate, policy: Policy) throws(CarbonError) -> ExpiryRun {
        guard let days = policy.pointsValidDays else {
            return ExpiryRun(asOf: asOf, validDays: nil, lapsedBefore: nil, expired: [], alreadyExpired: [])
        }
        return try expire(asOf: asOf, validDays: days, policyVersion: policy.version)
    }

    /// Lapses without a policy version (see ``expire(asOf:validDays:policyVersion:)``).
    public func expire(asOf: GTFSDate, validDays: Int) throws(CarbonError) -> ExpiryRun {
        try expire(asOf: asOf, validDays: validDays, policyVersion: nil)
    }

    /// Creates a key of a role without a source, modes or name (merchant, auditor, admin).
    public func createKey(role: KeyRole, source: String? = nil, modes: [Mode]? = nil) throws(CarbonError) -> NewAPIKey {
        try createKey(role: role, source: source, modes: modes, name: nil)
    }

    /// The rider's entries in commit order.
    public func statement(rider: String) throws(CarbonError) -> [LedgerEntry] {
        var out: [LedgerEntry] = []
        try forEachPage { cursor throws(CarbonError) in try statement(rider: rider, after: cursor, limit: 10_000) } each: { out.append($0) }
        return out
    }

    /// Calls `body` with every entry in commit order, a page at a time (bounded memory).
    public func forEachEntry(_ body: (LedgerEntry) throws -> Void) throws(CarbonError) {
        try forEachPage { cursor throws(CarbonError) in try entries(after: cursor, limit: 10_000) } each: { entry throws(CarbonError) in
            do {
                try body(entry)
            } catch let e as CarbonError {
                throw e
            } catch {
                throw CarbonError(.ledgerRead, file: location, "reading the ledger's entries stopped: \(error)", underlying: error)
            }
        }
    }

    /// Pages through entries with `page` (entries after a cursor, at most 10,000, in id order)
    /// until a page comes back short, calling `each` on every entry.
    private func forEachPage(_ page: (Int64?) throws(CarbonError) -> [LedgerEntry],
                             each: (LedgerEntry) throws(CarbonError) -> Void) throws(CarbonError) {
        var cursor: Int64?
        while true {
            let entries = try page(cursor)
            for entry in entries { try each(entry) }
            guard entries.count == 10_000, let last = entries.last else { return }
            cursor = last.id
        }
    }

    /// Every entry in commit order.
    public func entries() throws(CarbonError) -> [LedgerEntry] {
        var out: [LedgerEntry] = []
        try forEachEntry { out.append($0) }
        return out
    }
}

/// An API key as stored: its record and its SHA-256 (for copying a ledger).
public struct StoredKey: Sendable, Equatable {
    /// The record.
    public let record: APIKey
    /// The SHA-256 of the secret (32 bytes).
    public let hash: [UInt8]

    /// Creates a stored key.
    public init(record: APIKey, hash: [UInt8]) {
        self.record = record
        self.hash = hash
    }
}

/// Opens the ledger `location` names: a `postgres://` (or `postgresql://`) URL opens a
/// ``PostgresLedger``, anything else is the path of a ``SQLiteLedger`` file (created when
/// missing). Either is created or migrated to the current schema.
/// - Parameters:
///   - postgres: connection settings for a PostgreSQL ledger.
///   - automaticCheckpoints: for a SQLite ledger (see ``SQLiteLedger/init(path:automaticCheckpoints:)``).
/// - Throws: ``CarbonError`` `ledger_open`.
public func openLedger(_ location: String, postgres: PostgresLedgerOptions = PostgresLedgerOptions(),
                       automaticCheckpoints: Bool = true) throws(CarbonError) -> any Ledger {
    if PostgresLocation.isURL(location) {
        return try PostgresLedger(url: location, options: postgres)
    }
    return try SQLiteLedger(path: location, automaticCheckpoints: automaticCheckpoints)
}
