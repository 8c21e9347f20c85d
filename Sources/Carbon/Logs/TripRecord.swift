public import GTFS
import TransitNetwork

/// One trip of a rider as read from a trip log, before any checks.
///
/// A transit leg names a GTFS trip and its boarding and alighting stops; any other trip gives
/// a reported distance or start and end coordinates.
public struct TripRecord: Sendable, Equatable {
    /// The 1-based line of the log the record came from.
    public var line: Int
    /// The record's id within its source (for GTFS-ride: derived from the record, see
    /// ``TripLogFormat/gtfsRide``).
    public var eventID: String
    /// The system that produced the record (`afc`, `app_gps`, `gtfs-ride`, …).
    public var source: String
    /// The rider (already pseudonymized when asked).
    public var riderID: String
    /// The mode as written, if any.
    public var modeText: String?
    /// When the trip started (boarding), if given as an instant.
    public var start: Timestamp?
    /// When the trip ended (alighting), if given as an instant.
    public var end: Timestamp?
    /// The GTFS trip id of a transit leg.
    public var tripID: String?
    /// The boarding stop id.
    public var boardStopID: String?
    /// The boarding `stop_sequence`, if given.
    public var boardSequence: Int32?
    /// The alighting stop id (`nil` on a transit leg: a boarding-only record, priced by the
    /// policy's ``BoardingOnlyRule``).
    public var alightStopID: String?
    /// The alighting `stop_sequence`, if given.
    public var alightSequence: Int32?
    /// The GTFS service date, if given.
    public var serviceDate: GTFSDate?
    /// Boarding time in seconds since service-day midnight in the agency's time zone
    /// (GTFS-ride), if given that way.
    public var boardServiceSeconds: Int32?
    /// Alighting time in seconds since service-day midnight (GTFS-ride), if given that way.
    public var alightServiceSeconds: Int32?
    /// A distance reported by the source, metres.
    public var distanceMetres: Double?
    /// Start coordinates (latitude, longitude), if given.
    public var origin: Coordinate?
    /// End coordinates (latitude, longitude), if given.
    public var destination: Coordinate?

    /// Creates a record with only the identifying fields; set the others as needed.
    public init(line: Int, eventID: String, source: String, riderID: String) {
        self.line = line
        self.eventID = eventID
        self.source = source
        self.riderID = riderID
    }

    /// The permanent idempotency key: source and event id.
    public var key: String { source + "\u{1F}" + eventID }

    /// A SHA-256 (first 128 bits, hex) over every field that determines the credit, so the
    /// same key arriving with different content is detected as a conflict. Fields are joined
    /// by U+001F; integers are written in decimal, reals as their IEEE-754 bit pattern.
    public var contentHash: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        func add(_ s: String?) {
            if let s { bytes.append(contentsOf: s.utf8) }
            bytes.append(0x1F)
        }
        func add(_ v: Int64?) {
            if var v {
                if v < 0 { bytes.append(0x2D); v = 0 &- v }
                var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                             UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                    (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                var n = 0
                withUnsafeMutableBytes(of: &digits) { d in
                    repeat {
                        d[n] = UInt8(truncatingIfNeeded: 0x30 + UInt64(bitPattern: v) % 10)
                        v = Int64(bitPattern: UInt64(bitPattern: v) / 10)
                        n += 1
                    } while v != 0 && n < 20
                    while n > 0 { n -= 1; bytes.append(d[n]) }
                }
            }
            bytes.append(0x1F)
        }
        func add(_ v: Int32?) { add(v.map(Int64.init)) }
        func add(_ v: Double?) { add(v.map { Int64(bitPattern: $0.bitPattern) }) }
        add(riderID)
        add(modeText)
        add(start?.epochSeconds)
        add(end?.epochSeconds)
        add(tripID)
        add(boardStopID)
        add(boardSequence)
        add(alightStopID)
        add(alightSequence)
        add(serviceDate?.yyyymmdd)
        add(boardServiceSeconds)
        add(alightServiceSeconds)
        add(distanceMetres)
        add(origin?.latitude)
        add(origin?.longitude)
        add(destination?.latitude)
        add(destination?.longitude)
        return Hashing.sha256Prefix(bytes)
    }
}

/// A point on the Earth, degrees.
public struct Coordinate: Sendable, Equatable {
    /// Latitude, degrees north.
    public let latitude: Double
    /// Longitude, degrees east.
    public let longitude: Double

    /// Creates a coordinate.
    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Great-circle (haversine) distance to `other`, metres (``TransitNetwork/Geo/haversine(lat1:lon1:lat2:lon2:)``).
    public func metres(to other: Coordinate) -> Double {
        Geo.haversine(lat1: latitude, lon1: longitude, lat2: other.latitude, lon2: other.longitude)
    }

    /// Whether the coordinate is usable (finite, in range, not 0,0).
    public var isValid: Bool { Geo.isValid(lat: latitude, lon: longitude) }
}

/// Why a record was not credited. Raw values are the stable codes of the rejection report.
public enum RejectionReason: String, Sendable, CaseIterable, Codable {
    /// The line is not valid JSON (or is truncated).
    case badJSON = "bad_json"
    /// The line has the wrong number of CSV fields.
    case badCSV = "bad_csv"
    /// A required field is missing or empty.
    case missingField = "missing_field"
    /// A field has the wrong type (text where a number is expected, …).
    case wrongType = "wrong_type"
    /// A time is not ISO 8601 with an offset (or, for GTFS-ride, not HH:MM:SS).
    case badTime = "bad_time"
    /// The mode is not one the methodology knows.
    case unknownMode = "unknown_mode"
    /// The mode earns nothing (a car).
    case notGreen = "not_green_mode"
    /// The record's mode differs from the mode of the GTFS trip it names.
    case modeMismatch = "mode_mismatch"
    /// A transit leg was given but no feed was loaded.
    case noFeed = "no_feed"
    /// The trip id is not in the feed.
    case unknownTrip = "unknown_trip"
    /// A stop id is not in the feed, or not on the trip.
    case unknownStop = "unknown_stop"
    /// The trip does not run on the service date.
    case tripNotRunning = "trip_not_running"
    /// The alighting stop comes before the boarding stop on the trip.
    case alightBeforeBoard = "alight_before_board"
    /// The end time is not after the start time.
    case endBeforeStart = "end_before_start"
    /// The rider's times are further from the schedule than the policy's tolerance.
    case offSchedule = "off_schedule"
    /// The mean speed is outside the mode's plausible range.
    case implausibleSpeed = "implausible_speed"
    /// Shorter than the mode's minimum distance.
    case belowMinimumDistance = "below_min_distance"
    /// No distance could be established.
    case noDistance = "no_distance"
    /// The factor set has no factor for the mode.
    case noFactor = "no_factor"
    /// The key was already credited with different content.
    case conflict = "conflict"
    /// The policy requires the rider's consent and the rider has not given it for this
    /// source and mode (the trip is not stored).
    case noConsent = "no_consent"
    /// A field is longer than its limit: 255 bytes of UTF-8 for identifiers and every other
    /// field (``TripLogReader/maxFieldBytes``). The rejection names the field and its length.
    case fieldTooLong = "field_too_long"
    /// The line is longer than ``TripLogReader/maxLineBytes``; it is skipped without being
    /// held whole, and the next line is read.
    case lineTooLong = "line_too_long"
    /// A transit leg has no alighting stop (a boarding-only record, such as an inferred
    /// `rider_trip.txt` row whose alighting could not be inferred) and the policy's
    /// `boarding_only` rule does not credit a boarding by its mode (see ``BoardingOnlyRule``).
    case noAlighting = "no_alighting"
}

/// A record that was not credited: where it was and why.
public struct Rejection: Error, Sendable, Equatable {
    /// The 1-based line in the log.
    public let line: Int
    /// The event id, when it could be read.
    public let eventID: String?
    /// The reason code.
    public let reason: RejectionReason
    /// What exactly was wrong (field and value).
    public let detail: String
    /// The field at fault, when one is (`distance_m`, `start_time`, …).
    public let field: String?

    /// Creates a rejection.
    public init(line: Int, eventID: String?, reason: RejectionReason, detail: String, field: String? = nil) {
        self.line = line
        self.eventID = eventID
        self.reason = reason
        self.detail = detail
        self.field = field
    }

    /// Whether the record does not have the shape every trip must have: unreadable, a field
    /// of the wrong type or out of its range, or no `event_id` or `rider_id`. (A time or date
    /// that is text but not a valid one, or a transit leg without its stops, is well-formed
    /// but not creditable.) The carbon service answers such a batch with 400.
    public var isMalformed: Bool {
        switch reason {
        case .badJSON, .badCSV, .wrongType, .fieldTooLong, .lineTooLong: true
        case .missingField: field == "event_id" || field == "rider_id"
        default: false
        }
    }
}
