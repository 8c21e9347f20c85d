import ArgumentParser
import Timetable

/// How trips become vehicle blocks: interlining, deadheads and the depot (shared by
/// `transit plan` and `transit timetable`).
struct BlockOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: "Let vehicles change route at shared or nearby terminals (default: on when the plan has more than one route).")
    var interline: Bool?

    @Flag(inversion: .prefixedNo, help: "Let vehicles run empty between terminals when the move fits before the next departure.")
    var deadheads = true

    @Option(help: "Deadhead times: CSV from_stop_id,to_stop_id,seconds[,metres]; only the moves listed are allowed (default: estimated from the terminals' positions).")
    var deadheadMatrix: String?

    @Option(help: "Speed of an estimated deadhead, km/h.")
    var deadheadSpeed: Double = 25

    @Option(help: "Street distance per straight-line metre of an estimated deadhead.")
    var deadheadDetour: Double = Deadheads.defaultDetour

    @Option(help: "The longest estimated deadhead, minutes.")
    var maxDeadhead: Double = Double(Deadheads.defaultMaximum) / 60

    @Option(help: "The depot, as a stop_id or LAT,LON: pull-out and pull-in drives count in vehicle-hours and cost.")
    var depot: String?

    func validate() throws {
        guard deadheadSpeed.isFinite, deadheadSpeed > 0, deadheadSpeed <= 200 else { throw ValidationError("--deadhead-speed must be above 0 and at most 200 km/h") }
        guard deadheadDetour.isFinite, deadheadDetour >= 1, deadheadDetour <= 5 else { throw ValidationError("--deadhead-detour must be 1 to 5") }
        guard maxDeadhead.isFinite, maxDeadhead >= 0, maxDeadhead <= 240 else { throw ValidationError("--max-deadhead must be 0 to 240 minutes") }
    }

    /// `options` with these settings; `routes` decides the interlining default.
    func apply(to options: TimetableOptions, routes: Int) throws(TimetableError) -> TimetableOptions {
        var o = options
        o.interline = interline ?? (routes > 1)
        o.deadheading = deadheads
        o.deadheadMatrix = try deadheadMatrix.map { path throws(TimetableError) in try DeadheadMatrix.load(path) }
        o.deadheadSpeed = deadheadSpeed / 3.6
        o.deadheadDetour = deadheadDetour
        o.maximumDeadhead = Int32((maxDeadhead * 60).rounded())
        o.depot = depot.map(Depot.parse)
        return o
    }
}
