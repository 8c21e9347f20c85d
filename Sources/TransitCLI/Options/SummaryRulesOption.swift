import ArgumentParser
import GTFS
import TransitSupport

/// The rules of the service summary that `network summary` and `network report` share: the
/// terminal layover and whether trips without a `direction_id` get one inferred.
struct SummaryRulesOption: ParsableArguments {
    @Option(help: "Terminal layover per direction as a share of the run time.")
    var layoverShare: Double = 0.10

    @Option(help: "Smallest terminal layover per direction, in minutes.")
    var minLayoverMinutes: Double = 5

    @Flag(inversion: .prefixedNo, help: "Infer the direction of trips whose direction_id is empty (else they count as direction 0).")
    var inferDirections: Bool = true

    /// The smallest layover in seconds.
    var minimumLayover: Int32 { Int32((minLayoverMinutes * 60).rounded()) }

    func validate() throws {
        guard layoverShare.isFinite, layoverShare >= 0, layoverShare <= 10 else {
            throw ValidationError("--layover-share must be a number from 0 to 10 (0.10 = 10%)")
        }
        guard minLayoverMinutes.isFinite, minLayoverMinutes >= 0, minLayoverMinutes <= 1440 else {
            throw ValidationError("--min-layover-minutes must be from 0 to 1440")
        }
    }

    /// Warns on standard error when `day` lies outside the feed's service dates, or the feed
    /// names none (the summary of such a day is empty, which is rarely what was meant).
    static func warnOutsideService(_ feed: Feed, _ day: GTFSDate) {
        if let range = feed.serviceDateRange {
            if !range.contains(day) {
                writeToStandardError("warning: \(day.iso8601) is outside the feed's service dates (\(range.lowerBound.iso8601) to \(range.upperBound.iso8601)); no service is expected\n")
            }
        } else {
            writeToStandardError("warning: the feed's calendars name no service dates\n")
        }
    }
}
