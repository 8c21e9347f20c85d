public import GTFS

/// One defect or remark about ridership data (counts, capacities, a load table), located by
/// file, line and field, with the value as written: a ``GTFS/Finding`` that always names a
/// file.
///
/// Issues never stop the analysis: each says what was done with the data (a row skipped, a
/// load clamped at 0, a missing count read as 0), so a run reports every defect at once.
/// ``GTFS/Severity/error`` marks data that was skipped or repaired,
/// ``GTFS/Severity/warning`` data used as it is but probably wrong. Codes are the
/// ``GTFS/Finding/Code`` constants below, or a GTFS notice code for a defect the CSV reader
/// found (such as `invalid_integer`).
public typealias RidershipIssue = Finding

extension Finding {
    /// A reader finding as a ridership issue: the same, with `feed` as its file when it names
    /// none (ridership issues always name one, and are sorted by it).
    init(_ finding: Finding) {
        self = finding
        if file == nil { file = "feed" }
    }
}

/// The codes the ridership module reports.
extension Finding.Code {
    /// A `board_alight.txt` or `trip_capacity.txt` row names a `trip_id` that `trips.txt`
    /// does not declare; the row is skipped.
    public static let unknownTrip = "unknown_trip"
    /// A `board_alight.txt` row names a `stop_id` that `stops.txt` does not declare; the row
    /// is skipped.
    public static let unknownStop = "unknown_stop"
    /// The row's `stop_sequence` is not in the trip's `stop_times.txt`, or the trip stops
    /// elsewhere at that sequence; the row is skipped.
    public static let stopNotInTrip = "stop_not_in_trip"
    /// A second row for the same trip, `stop_sequence` and `service_date`; the first is used,
    /// this one skipped.
    public static let duplicateRecord = "duplicate_record"
    /// `boardings` or `alightings` is empty (or not a count); it is read as 0.
    public static let missingCount = "missing_count"
    /// A row without `stop_sequence` or `trip_id`; it is skipped.
    public static let missingKey = "missing_key"
    /// Walking the trip's counts makes the load negative; the load is set to 0 there and
    /// the walk goes on from 0.
    public static let negativeLoad = "negative_load"
    /// Passengers are still on board after the trip's last counted stop.
    public static let tripEndsWithLoad = "trip_ends_with_load"
    /// `load_count` disagrees with the load computed from boardings and alightings (the
    /// first disagreement of a trip and date; the computed load is used).
    public static let loadCountMismatch = "load_count_mismatch"
    /// A frequency-based trip's counts carry no `service_departure_time` or
    /// `service_arrival_time`, or a trip has no times at all: its events cannot be put in
    /// a period, so its rows are not used.
    public static let unplaceableTrip = "unplaceable_trip"
    /// A row without `service_date`: all such rows of a trip are taken as one unnamed date.
    public static let missingServiceDate = "missing_service_date"
    /// A `trip_capacity.txt` row that gives no capacity (seated and standing both empty)
    /// or no `trip_id`; it is not used.
    public static let unusableCapacity = "unusable_capacity"
    /// A route whose trips' capacities differ; the most common value is used.
    public static let mixedCapacity = "mixed_capacity"
    /// A load table without a header line or rows.
    public static let emptyFile = "empty_file"
    /// A load table's header lacks a required column; nothing is read.
    public static let missingColumn = "missing_column"
    /// A load table column that is not used; it is ignored.
    public static let unknownColumn = "unknown_column"
    /// A load table's header names a column twice; the first is used.
    public static let duplicateColumn = "duplicate_column"
    /// A load table row whose field count differs from the header's.
    public static let wrongFieldCount = "wrong_field_count"
    /// A required value is empty; the row is skipped.
    public static let missingValue = "missing_value"
    /// A value is not a finite number ≥ 0 (or `direction_id` not 0 or 1); the row is skipped.
    public static let invalidNumber = "invalid_number"
    /// A load table row names a period that is not one of the plan's; the row is skipped.
    public static let unknownPeriod = "unknown_period"
    /// A load table row names a route the feed does not have; the row is skipped.
    public static let unknownRoute = "unknown_route"
    /// A second load table row for the same route, direction and period; it is skipped.
    public static let duplicateRow = "duplicate_row"
    /// A quoted field that is never closed, or text after a closing quote.
    public static let csvSyntax = "csv_syntax"
}

/// Collects ridership issues: the shared ``GTFS/ValidationReport`` (the same per-code cap),
/// read back sorted by file, then line, keeping the order found among equals.
struct IssueCollector: Sendable {
    private var report: ValidationReport

    init(maxPerCode: Int) { report = ValidationReport(maxPerCode: maxPerCode) }

    /// The issues kept, in the order found.
    var issues: [RidershipIssue] { report.findings }
    /// How many issues of each code there were, kept or not.
    var counts: [String: Int] { report.counts }

    mutating func add(_ issue: RidershipIssue) { report.add(issue) }

    mutating func add(contentsOf other: [RidershipIssue]) { report.add(contentsOf: other) }

    /// The issues sorted by file, then line (issues without a line first), keeping the order
    /// found among equals.
    var sorted: [RidershipIssue] { report.sortedByLocation }
}
