import ArgumentParser
import GTFS
import Ridership
import TransitSupport
import TransitSynthetic

/// `transit ridership generate-taps FEED --date YYYYMMDD --riders N --out FILE`: a deterministic
/// day of chained riders' taps, with their ground truth.
struct RidershipGenerateTaps: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-taps",
        abstract: "Write a deterministic day of chained riders' taps over a feed (for tests and benchmarks of `ridership infer`).",
        discussion: """
            Each rider makes a tour on --date: boards a trip running that day, rides 1-15 \
            stops, then transfers (a stop within 250 m, another route, 2-20 min later) or does \
            an activity (1-9 h) and boards again near the alighting; the last leg returns to \
            within 300 m of the first boarding stop when a trip does (else the day stays open). \
            About 15% of days are single taps. A tap's time is the scheduled departure plus \
            0-90 s, with the agency's offset. --without-trip-share of the taps have no trip_id; \
            --position-share give lat,lon (the stop's position plus a few metres) instead of \
            stop_id. Trips of frequencies.txt are not used.

            --behaviour chooses where riders alight and board next. destination (the \
            default): each rider goes to a point within 150 m of the alighting stop (the \
            trip's stop nearest that point) and boards next at the stop nearest that point, \
            within 300 m, that serves what they take next. nearest: the next boarding is any stop within \
            250 m for which the alighting is the trip's stop nearest it (trip chaining's \
            assumption). any: any stop within 250 m of the alighting.

            --truth writes tap_id,trip_id,boarding_stop_id,boarding_stop_sequence,\
            alighting_stop_id,alighting_stop_sequence for every tap. The same feed, date, \
            riders and seed give the same bytes.
            """
    )

    @OptionGroup var input: FeedArgument

    @Option(help: "The service date, YYYYMMDD.")
    var date: String

    @Option(help: "Riders (cards), each with one day of taps.")
    var riders: Int

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(help: "Share of taps without trip_id, 0 to 1.")
    var withoutTripShare: Double = 0.5

    @Option(help: "Share of taps with lat,lon instead of stop_id, 0 to 1.")
    var positionShare: Double = 0

    /// `--behaviour`: the values of ``SyntheticTaps/Behaviour``.
    enum BehaviourChoice: String, ExpressibleByArgument, CaseIterable {
        case destination, nearest, any

        var behaviour: SyntheticTaps.Behaviour {
            switch self {
            case .destination: .destination
            case .nearest: .nearestToNextBoarding
            case .any: .anyNearby
            }
        }
    }

    @Option(help: "Where riders alight and board next: destination, nearest or any.")
    var behaviour: BehaviourChoice = .destination

    @Option(help: "Also write the ground truth of each tap to this CSV file.")
    var truth: String?

    @Option(help: "The taps CSV file to write (written to a temporary file and renamed into place).")
    var out: String

    func validate() throws {
        guard try parseDateOption(date, name: "date") != nil else { throw ValidationError("--date YYYYMMDD is required") }
        guard riders >= 0, riders <= 100_000_000 else { throw ValidationError("--riders must be from 0 to 100000000") }
        guard (0...1).contains(withoutTripShare), (0...1).contains(positionShare) else {
            throw ValidationError("--without-trip-share and --position-share must be from 0 to 1")
        }
    }

    func run() throws {
        guard let day = try parseDateOption(date, name: "date") else { throw ValidationError("--date YYYYMMDD is required") }
        let loaded = try input.load()
        let start = RidershipInfer.serviceDayStart(day, feed: loaded.feed)
        let file = try AtomicTextFile(path: out)
        let truthFile = try truth.map { try AtomicTextFile(path: $0) }
        file.write(SyntheticTaps.header + "\n")
        truthFile?.write(SyntheticTaps.truthHeader + "\n")
        let clock = Stopwatch()
        let counts = SyntheticTaps.generate(feed: loaded.feed, date: day, serviceDayStart: start, riders: riders, seed: seed,
                                            withoutTripShare: withoutTripShare, positionShare: positionShare,
                                            behaviour: behaviour.behaviour) { g in
            file.write(g.csvLine + "\n")
            truthFile?.write(g.truthLine + "\n")
        }
        if counts.tripsUsed == 0, riders > 0 {
            // Nothing is written (the temporary files are dropped): an empty day is a mistake.
            writeToStandardError("error: no trip with scheduled times runs on \(day.yyyymmdd) in \(input.feed); check the feed and --date\n")
            throw ExitCode(1)
        }
        try file.commit()
        try truthFile?.commit()
        writeToStandardError("""
            \(counts.taps) taps of \(riders) riders in \(Int(clock.milliseconds.rounded())) ms over \(counts.tripsUsed) trips: \
            \(counts.closedDays) closed days, \(counts.openDays) open, \(counts.singleTapDays) single taps\n
            """)
    }
}
