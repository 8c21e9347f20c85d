import ArgumentParser
import TransitNetwork

/// `--periods`: the day's periods, `HH:MM-HH:MM` comma-separated (default: the network's
/// standard periods).
struct PeriodsOption: ParsableArguments {
    @Option(help: "Comma-separated periods HH:MM-HH:MM; ends may pass 24:00.")
    var periods: String = NetworkDefaults.periods

    /// The periods, checked.
    /// - Throws: `ValidationError` (a usage error) naming what is wrong with them.
    func parsed() throws -> [Period] {
        do {
            return try Period.parse(periods)
        } catch {
            throw ValidationError("--periods: \(error)")
        }
    }
}
