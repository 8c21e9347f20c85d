public import Carbon

/// The JSON bodies of the API, as the OpenAPI document (`/openapi.json`) describes them.
public enum API {
    /// `POST /v1/trips` response.
    public struct TripsResponse: Codable, Sendable, Equatable {
        /// Trips credited (new entries).
        public var accepted: Int
        /// Trips already credited with the same content.
        public var duplicates: Int
        /// Trips whose event id was credited with other content.
        public var conflicts: Int
        /// Trips not creditable.
        public var rejected: Int
        /// Grams CO2e credited by this request.
        public var gramsCO2e: Int
        /// Points credited by this request.
        public var points: Int
        /// One result per trip, in request order.
        public var results: [TripResult]

        enum CodingKeys: String, CodingKey {
            case accepted, duplicates, conflicts, rejected, points, results
            case gramsCO2e = "grams_co2e"
        }
    }

    /// What became of one trip.
    public struct TripResult: Codable, Sendable, Equatable {
        /// The trip's event id (`null` when it could not be read).
        public var eventID: String?
        /// `credited`, `duplicate`, `conflict` or `rejected`.
        public var outcome: TripOutcome.Kind
        /// The rejection code (``Carbon/RejectionReason``), or `conflict`; `null` otherwise.
        public var reason: String?
        /// What exactly was wrong.
        public var detail: String?
        /// Points credited for it.
        public var points: Int
        /// Grams CO2e credited for it.
        public var gramsCO2e: Int

        enum CodingKeys: String, CodingKey {
            case outcome, reason, detail, points
            case eventID = "event_id"
            case gramsCO2e = "grams_co2e"
        }

        /// Every key always present (`null` where there is no value).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(eventID, forKey: .eventID)
            try c.encode(outcome, forKey: .outcome)
            try c.encode(reason, forKey: .reason)
            try c.encode(detail, forKey: .detail)
            try c.encode(points, forKey: .points)
            try c.encode(gramsCO2e, forKey: .gramsCO2e)
        }
    }

    /// `GET /v1/riders/{rider_id}/balance`.
    public struct BalanceResponse: Codable, Sendable, Equatable {
        /// The rider as asked.
        public var riderID: String
        /// Points available.
        public var points: Int
        /// Net grams CO2e saved.
        public var gramsCO2e: Int
        /// How many ledger entries the rider has.
        public var entries: Int

        enum CodingKeys: String, CodingKey {
            case points, entries
            case riderID = "rider_id"
            case gramsCO2e = "grams_co2e"
        }
    }

    /// A page of entries (`statement`, `entries`).
    public struct EntryPage: Codable, Sendable, Equatable {
        /// The rider, for a statement.
        public var riderID: String?
        /// The entries in commit order.
        public var entries: [LedgerEntryDocument]
        /// The cursor of the next page; `null` on the last page.
        public var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case entries
            case riderID = "rider_id"
            case nextCursor = "next_cursor"
        }

        /// `next_cursor` always present (`null` on the last page); `rider_id` on statements.
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(riderID, forKey: .riderID)
            try c.encode(entries, forKey: .entries)
            try c.encode(nextCursor, forKey: .nextCursor)
        }
    }

    /// `POST /v1/redemptions` request.
    public struct RedemptionRequest: Codable, Sendable, Equatable {
        /// The rider.
        public var riderID: String
        /// Points to spend, > 0.
        public var points: Int
        /// The merchant's idempotency reference (voucher or order id).
        public var reference: String
        /// A note stored on the entry.
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case points, reference, reason
            case riderID = "rider_id"
        }
    }

    /// `POST /v1/redemptions` response.
    public struct RedemptionResponse: Codable, Sendable, Equatable {
        /// `redeemed`, or `already_redeemed` for a repeated reference.
        public var status: String
        /// The rider as asked.
        public var riderID: String
        /// Points spent.
        public var points: Int
        /// The reference.
        public var reference: String
        /// The redemption entry's id.
        public var entryID: Int64
        /// The rider's points after it.
        public var balance: Int
        /// When the entry was committed.
        public var recordedAt: String

        enum CodingKeys: String, CodingKey {
            case status, points, reference, balance
            case riderID = "rider_id"
            case entryID = "entry_id"
            case recordedAt = "recorded_at"
        }
    }

    /// `POST /v1/reversals` request.
    public struct ReversalRequest: Codable, Sendable, Equatable {
        /// The event id of the credit to reverse.
        public var eventID: String
        /// Its source (admin keys; an operator's is its own).
        public var source: String?
        /// Why.
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case source, reason
            case eventID = "event_id"
        }
    }

    /// `POST /v1/reversals` response.
    public struct ReversalResponse: Codable, Sendable, Equatable {
        /// `reversed`, or `already_reversed` when it was before.
        public var status: String
        /// The reversal entry.
        public var entry: LedgerEntryDocument
    }

    /// `PUT /v1/riders/{rider_id}/consent` request.
    public struct ConsentRequest: Codable, Sendable, Equatable {
        /// The sources whose trips may be credited (empty: consent withdrawn).
        public var sources: [String]
        /// The modes (absent: every mode).
        public var modes: [String]?
    }

    /// A rider's consent in force.
    public struct ConsentResponse: Codable, Sendable, Equatable {
        /// The rider as asked.
        public var riderID: String
        /// The sources.
        public var sources: [String]
        /// The modes (`null`: every mode).
        public var modes: [String]?
        /// The key that recorded it.
        public var recordedBy: String
        /// When.
        public var recordedAt: String

        enum CodingKeys: String, CodingKey {
            case sources, modes
            case riderID = "rider_id"
            case recordedBy = "recorded_by"
            case recordedAt = "recorded_at"
        }

        /// `modes` always present (`null`: every mode).
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(riderID, forKey: .riderID)
            try c.encode(sources, forKey: .sources)
            try c.encode(modes, forKey: .modes)
            try c.encode(recordedBy, forKey: .recordedBy)
            try c.encode(recordedAt, forKey: .recordedAt)
        }
    }

    /// `GET /healthz`, `GET /readyz`.
    public struct Health: Codable, Sendable, Equatable {
        /// `ok`, or `unavailable`.
        public var status: String
        /// Whether the ledger answered (readiness only).
        public var ledger: String?
    }
}
