public import GTFS

/// The kind of a ledger entry.
public enum EntryKind: String, Sendable, CaseIterable, Codable {
    /// Points earned by a trip.
    case credit
    /// Cancels one credit (negative grams and points), pointing at it.
    case reversal
    /// Points spent by the rider (negative points).
    case redemption
    /// Points that lapsed (negative points).
    case expiry
}

/// One row of the ledger. Entries are never changed or deleted: corrections are new entries.
public struct LedgerEntry: Sendable, Equatable {
    /// The entry id, increasing in commit order.
    public let id: Int64
    /// The kind.
    public let kind: EntryKind
    /// The idempotency key (`source␟event_id` for credits, `reversal:ID`, `redemption:REF`).
    public let key: String
    /// The source of the record (credits), else the kind.
    public let source: String
    /// The event id (credits), else the reference.
    public let eventID: String
    /// The SHA-256 (128 bits, hex) of the credited record's content; empty for other kinds.
    public let contentHash: String
    /// The rider.
    public let rider: String
    /// The mode of a credit (or of the credit a reversal cancels).
    public let mode: String?
    /// The cap day, `YYYYMMDD`.
    public let day: Int32?
    /// Whole metres of a credit.
    public let metres: Int?
    /// Where the distance came from (``DistanceSource``).
    public let distanceSource: String?
    /// The GTFS trip of a transit credit.
    public let tripID: String?
    /// Where the emission factor of a credit came from (``FactorSource``; `nil` on credits
    /// recorded before schema v2 and on other kinds).
    public let factorSource: String?
    /// The emission factor that priced a credit, milligrams CO2e per passenger-km.
    public let factorMilligramsPerKm: Int?
    /// The saving priced before the daily caps (per-trip cap applied), grams.
    public let gramsPriced: Int
    /// Grams CO2e of the entry (negative for a reversal).
    public let grams: Int
    /// Points of the entry (negative for reversals, redemptions and expiries).
    public let points: Int
    /// The entry a reversal cancels.
    public let reverses: Int64?
    /// Why (reversals, redemptions, expiries; `capped` on a credit reduced by a daily cap).
    public let reason: String?
    /// The factor set version a credit was priced with.
    public let methodologyVersion: String?
    /// The policy version a credit was priced with.
    public let policyVersion: String?
    /// When the entry was committed (UTC, ISO 8601).
    public let recordedAt: String

    /// Creates an entry (a backend reading its rows, or a copy).
    public init(id: Int64, kind: EntryKind, key: String, source: String, eventID: String, contentHash: String, rider: String,
                mode: String?, day: Int32?, metres: Int?, distanceSource: String?, tripID: String?, factorSource: String?,
                factorMilligramsPerKm: Int?, gramsPriced: Int, grams: Int, points: Int, reverses: Int64?, reason: String?,
                methodologyVersion: String?, policyVersion: String?, recordedAt: String) {
        self.id = id
        self.kind = kind
        self.key = key
        self.source = source
        self.eventID = eventID
        self.contentHash = contentHash
        self.rider = rider
        self.mode = mode
        self.day = day
        self.metres = metres
        self.distanceSource = distanceSource
        self.tripID = tripID
        self.factorSource = factorSource
        self.factorMilligramsPerKm = factorMilligramsPerKm
        self.gramsPriced = gramsPriced
        self.grams = grams
        self.points = points
        self.reverses = reverses
        self.reason = reason
        self.methodologyVersion = methodologyVersion
        self.policyVersion = policyVersion
        self.recordedAt = recordedAt
    }
}

/// What happened to one priced leg in ``Ledger/credit(_:policy:methodologyVersion:)``.
public enum CreditOutcome: Sendable, Equatable {
    /// A new credit entry. `capped` when a daily cap reduced it (possibly to 0 grams).
    case credited(grams: Int, points: Int, capped: Bool)
    /// The key was already in the ledger with the same content: nothing credited.
    case duplicate
    /// The key was already in the ledger with different content: nothing credited.
    case conflict(existingHash: String)
    /// The policy requires consent and the rider's consent in force does not cover the leg's
    /// source and mode: nothing stored (``RejectionReason/noConsent``).
    case notConsented
}

/// What ``Ledger/reversal(eventID:source:reason:)`` did.
public enum ReversalOutcome: Sendable, Equatable {
    /// A new reversal entry.
    case reversed(LedgerEntry)
    /// The credit was reversed before: the earlier reversal entry, nothing changed.
    case alreadyReversed(LedgerEntry)

    /// The reversal entry, new or earlier.
    public var entry: LedgerEntry {
        switch self {
        case .reversed(let e), .alreadyReversed(let e): e
        }
    }
}

/// A rider's totals: the sums of their entries.
public struct Balance: Sendable, Equatable {
    /// The rider.
    public let rider: String
    /// Net grams CO2e saved (credits minus reversals).
    public let grams: Int
    /// Points available (the sum of every entry's points).
    public let points: Int
    /// How many entries the rider has.
    public let entries: Int

    /// Creates a balance.
    public init(rider: String, grams: Int, points: Int, entries: Int) {
        self.rider = rider
        self.grams = grams
        self.points = points
        self.entries = entries
    }
}


/// What an API key may do on the carbon service.
public enum KeyRole: String, Sendable, CaseIterable, Codable {
    /// An operator (bus company, metro, bike share, an app): bound to one source and
    /// optionally to modes; submits and reverses its own trips, records consent, reads balances.
    case `operator`
    /// A merchant: redeems points and reads balances.
    case merchant
    /// An auditor: reads balances, statements, exports and the methodology.
    case auditor
    /// Everything.
    case admin
}

/// An API key as the ledger keeps it: never the key itself, only its SHA-256.
public struct APIKey: Sendable, Equatable {
    /// The public id of the key (`k_` + 16 hex digits), safe to log and to name in `revoke`.
    public let id: String
    /// What the key may do.
    public let role: KeyRole
    /// The source an operator key writes as (`nil` for other roles).
    public let source: String?
    /// The modes an operator key may submit (`nil`: every mode).
    public let modes: [Mode]?
    /// A label for people.
    public let name: String?
    /// When the key was created (UTC, ISO 8601).
    public let createdAt: String
    /// When the key was revoked, if it was.
    public let revokedAt: String?

    /// Whether the key still works.
    public var isActive: Bool { revokedAt == nil }

    /// Creates a key record (a backend reading its rows).
    public init(id: String, role: KeyRole, source: String?, modes: [Mode]?, name: String?, createdAt: String, revokedAt: String?) {
        self.id = id
        self.role = role
        self.source = source
        self.modes = modes
        self.name = name
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// A key just created: the record and the secret, which is shown once and never stored.
public struct NewAPIKey: Sendable {
    /// The stored record.
    public let record: APIKey
    /// The bearer token: `tpk_` + 64 hex digits (256 random bits).
    public let secret: String
}

/// A rider's consent in force: which sources may submit their trips, in which modes.
public struct Consent: Sendable, Equatable {
    /// The rider (as stored).
    public let rider: String
    /// The sources whose trips may be credited.
    public let sources: [String]
    /// The modes that may be credited (`nil`: every mode).
    public let modes: [Mode]?
    /// The key that recorded it.
    public let recordedBy: String
    /// When it was recorded (UTC, ISO 8601).
    public let recordedAt: String
    /// The consent entry's id, increasing in commit order.
    public let id: Int64

    /// Creates a consent (a backend reading its rows, or a copy).
    public init(rider: String, sources: [String], modes: [Mode]?, recordedBy: String, recordedAt: String, id: Int64) {
        self.rider = rider
        self.sources = sources
        self.modes = modes
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.id = id
    }

    /// Whether a trip of `source` in `mode` may be credited under this consent.
    public func allows(source: String, mode: Mode) -> Bool {
        sources.contains(source) && (modes?.contains(mode) ?? true)
    }
}


/// What ``Ledger/redeem(rider:points:reference:reason:)`` did.
public enum RedemptionOutcome: Sendable, Equatable {
    /// A new redemption entry; `balance` is the rider's points after it.
    case redeemed(entry: LedgerEntry, balance: Int)
    /// The reference was already redeemed for the same rider and points: nothing changed.
    /// `entry` is the earlier redemption, `balance` the rider's points now.
    case alreadyRedeemed(entry: LedgerEntry, balance: Int)

    /// The redemption entry, new or earlier.
    public var entry: LedgerEntry {
        switch self {
        case .redeemed(let e, _), .alreadyRedeemed(let e, _): e
        }
    }

    /// The rider's points after the call.
    public var balance: Int {
        switch self {
        case .redeemed(_, let b), .alreadyRedeemed(_, let b): b
        }
    }
}


/// One rider's lapse in an expiry run.
public struct RiderExpiry: Sendable, Equatable {
    /// The rider.
    public let rider: String
    /// Points that lapsed (positive; the entry holds the negative).
    public let points: Int
    /// The rider's points after the expiry.
    public let balance: Int
    /// The expiry entry.
    public let entryID: Int64

    /// Creates a rider's expiry.
    public init(rider: String, points: Int, balance: Int, entryID: Int64) {
        self.rider = rider
        self.points = points
        self.balance = balance
        self.entryID = entryID
    }
}

/// What ``Ledger/expire(asOf:validDays:policyVersion:)`` did.
public struct ExpiryRun: Sendable, Equatable {
    /// The day the run is as of.
    public let asOf: GTFSDate
    /// How many days points stay valid; `nil` when the policy lets points never expire (then
    /// nothing is expired).
    public let validDays: Int?
    /// Points credited on cap days before this day lapse (`asOf − validDays`); `nil` with
    /// `validDays`.
    public let lapsedBefore: GTFSDate?
    /// The riders whose points lapsed, by rider id.
    public let expired: [RiderExpiry]
    /// Riders with points due that already have an expiry entry for this as-of day: points
    /// credited late, on cap days before ``lapsedBefore``, after that entry. They lapse in the
    /// next run with a later as-of day.
    public let alreadyExpired: [String]

    /// The total points that lapsed.
    public var points: Int { expired.reduce(0) { $0 + $1.points } }

    /// Creates a run's result.
    public init(asOf: GTFSDate, validDays: Int?, lapsedBefore: GTFSDate?, expired: [RiderExpiry], alreadyExpired: [String]) {
        self.asOf = asOf
        self.validDays = validDays
        self.lapsedBefore = lapsedBefore
        self.expired = expired
        self.alreadyExpired = alreadyExpired
    }
}

