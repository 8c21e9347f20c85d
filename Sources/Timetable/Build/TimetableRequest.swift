public import GTFS
import Ridership

/// Everything one timetable run needs: the loaded feed the plan was made for, the plan, the
/// departure and block options, where ridership comes from for even-load departures, and where
/// to write the feed. ``Timetable/make(_:progress:)`` turns it into a ``TimetableReport``;
/// `transit timetable` and `transit plan --out` only fill one in.
public struct TimetableRequest: Sendable {
    /// The feed the plan was made for, with its load report.
    public var loaded: LoadedFeed
    /// The headways to run.
    public var plan: HeadwayPlan
    /// Departure rule, layovers, interlining, terminal radius, phasing.
    public var options: TimetableOptions
    /// For even-load departures: a GTFS-ride `board_alight.txt` instead of the feed's own.
    public var ridershipPath: String?
    /// Where to write the GTFS feed (a folder, or a path ending in `.zip`); `nil`: not written.
    public var out: String?
    /// Write each vehicle's runs of trips at an even interval as `frequencies.txt` rows (with
    /// the vehicle's `block_id`) instead of one trip each (see ``TimetableExport``).
    public var frequencies: Bool

    /// Creates a request. Even-load departures are asked for in ``TimetableOptions/evenLoad``.
    public init(loaded: LoadedFeed, plan: HeadwayPlan, options: TimetableOptions = TimetableOptions(),
                ridershipPath: String? = nil, out: String? = nil, frequencies: Bool = false) {
        self.loaded = loaded
        self.plan = plan
        self.options = options
        self.ridershipPath = ridershipPath
        self.out = out
        self.frequencies = frequencies
    }
}

/// What a timetable run reports while it works, in order.
public enum TimetableEvent: Sendable, Hashable {
    /// A step begins or ends.
    case progress(String)
    /// Something the user should know (a route the feed does not run that day, …).
    case note(String)
    /// The independent check of the blocks failed: each line one problem (the feed is still
    /// written; the report's ``TimetableReport/blockProblems`` has them all).
    case blockProblems([String])
}

/// Why a timetable run stopped: what, where and what to do, with a code.
public enum TimetableRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Even-load departures were asked for, but the ridership cannot be read or analysed.
    case evenLoadRidership(reason: String)
    /// The timetable cannot be built or written.
    case timetable(TimetableError)

    /// A stable snake_case code (for ``timetable(_:)``, the wrapped error says which step).
    public var code: String {
        switch self {
        case .evenLoadRidership: "even_load_ridership_unusable"
        case .timetable: "timetable_failed"
        }
    }

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .evenLoadRidership(let reason): "--even-load needs ridership counts: \(reason)"
        case .timetable(let error): error.description
        }
    }
}

/// The answer of one timetable run.
public struct TimetableReport: Sendable {
    /// Departures and vehicle blocks.
    public var timetable: Timetable
    /// Problems the independent block check found (empty when the blocks are sound).
    public var blockProblems: [String]
    /// Per period: the blocks' vehicles against the plan and the fleet limit.
    public var periodFleet: [Timetable.PeriodFleet]
    /// Why the timetable does not fit the plan's fleet limits
    /// (``Timetable/fleetShortfall(limits:fleet:)``); `nil` when it fits.
    public var shortfall: String?
    /// Where the feed was written, when it was.
    public var written: String?

    /// Creates a report.
    public init(timetable: Timetable, blockProblems: [String], periodFleet: [Timetable.PeriodFleet], shortfall: String?,
                written: String?) {
        self.timetable = timetable
        self.blockProblems = blockProblems
        self.periodFleet = periodFleet
        self.shortfall = shortfall
        self.written = written
    }

    /// True when the timetable does not fit the plan's fleet limits (``Timetable/fits(limits:)``).
    public var exceedsFleet: Bool { shortfall != nil }
}

extension Timetable {
    /// Runs the whole timetable pipeline of a request: ridership to loads at the max load point
    /// (even-load departures only), departures and blocks (``build(feed:plan:options:loads:)``),
    /// the independent block check, and the export (``TimetableExport/write(_:source:to:frequencies:zipLevel:)``)
    /// when ``TimetableRequest/out`` is set, the blocks are sound and the timetable fits the
    /// plan's fleet limits (``Timetable/fits(limits:)``); otherwise nothing is written.
    /// - Parameters:
    ///   - request: the inputs.
    ///   - progress: called in order with each ``TimetableEvent``, on the caller's thread.
    /// - Throws: ``TimetableRequestError``.
    /// - Complexity: O(trips × stops per trip) for departures and the export.
    public static func make(_ request: TimetableRequest,
                            progress: (@Sendable (TimetableEvent) -> Void)? = nil) throws(TimetableRequestError) -> TimetableReport {
        let report = progress ?? { _ in }
        let gtfs = request.loaded.feed
        var loads: [RouteDirection: [LoadSample]] = [:]
        if request.options.evenLoad {
            report(.progress("reading ridership for even-load departures"))
            do {
                let input = try RidershipInput.load(feed: gtfs, report: request.loaded.report,
                                                    boardAlightPath: request.ridershipPath)
                let analysis = try RidershipAnalysis(input: input, periods: request.plan.periods)
                loads = LoadSamples.atMaxLoadPoint(analysis.profiles)
            } catch {
                throw .evenLoadRidership(reason: "\(error)")
            }
            report(.progress("loads at the max load point for \(loads.count) route directions"))
        }
        report(.progress("building departures and blocks for \(request.plan.date.iso8601)"))
        let timetable: Timetable
        do { timetable = try build(feed: gtfs, plan: request.plan, options: request.options, loads: loads) } catch {
            throw .timetable(error)
        }
        for note in timetable.notes { report(.note(note)) }
        let problems = timetable.blockViolations
        if !problems.isEmpty { report(.blockProblems(problems)) }
        let periodFleet = timetable.periodFleet(limits: request.plan.fleet)
        let shortfall = timetable.fleetShortfall(limits: request.plan.fleet, fleet: periodFleet)
        if let shortfall, request.out != nil {
            report(.note("the timetable does not fit the fleet (\(shortfall)): nothing is written"))
        }
        if let out = request.out, shortfall == nil, problems.isEmpty {
            report(.progress("writing \(out)"))
            do { try TimetableExport.write(timetable, source: gtfs, to: out, frequencies: request.frequencies) } catch {
                throw .timetable(error)
            }
            report(.progress("\(timetable.trips.count) trips in \(timetable.blocks.fleet) blocks written to \(out)"))
        }
        return TimetableReport(timetable: timetable, blockProblems: problems, periodFleet: periodFleet, shortfall: shortfall,
                               written: shortfall == nil && problems.isEmpty ? request.out : nil)
    }
}
