import GTFS
import TransitNetwork

extension Pricer {
    /// Prices a transit leg without an alighting stop, checked against `feed`, by the policy's
    /// ``BoardingOnlyRule``.
    ///
    /// Rule `reject` (the default): rejected with ``RejectionReason/noAlighting``. Rule
    /// `per_boarding`: the trip, the boarding stop, the service date and the boarding time are
    /// checked against the feed as for any transit leg (there is no alighting to check), and the
    /// leg earns the policy's grams for its mode, capped per trip; a mode the rule gives no grams
    /// is rejected with ``RejectionReason/noAlighting``. No distance is ever guessed: the leg's
    /// metres are 0 and its ``PricedLeg/distanceSource`` and ``PricedLeg/factorSource`` are
    /// `per_boarding`.
    /// - Complexity: O(stops of the trip).
    func priceBoardingOnly(_ record: TripRecord, tripID: String, declared: Mode?, feed: FeedContext) -> Result<PricedLeg, Rejection> {
        func reject(_ reason: RejectionReason, _ detail: String) -> Result<PricedLeg, Rejection> {
            .failure(Rejection(line: record.line, eventID: record.eventID, reason: reason, detail: detail))
        }
        let rule = policy.boardingOnlyRule
        guard rule.rule == .perBoarding else {
            return reject(.noAlighting, "the leg on trip '\(tripID)' has no alighting stop: policy \(policy.version) rejects such legs "
                + "(no distance is guessed); to credit them per boarding, set the policy's boarding_only to "
                + "{\"rule\": \"per_boarding\", \"grams\": {\"<mode>\": N}}")
        }
        guard let trip = feed.tripCodes[tripID], Int(trip) < feed.tripMode.count else {
            return reject(.unknownTrip, "field 'trip_id': '\(tripID)' is not a trip of the feed")
        }
        let boardID = record.boardStopID ?? ""
        guard let boardStop = feed.stopCodes[boardID] else { return reject(.unknownStop, "field 'board_stop_id': '\(boardID)' is not a stop of the feed") }
        guard let mode = feed.tripMode[Int(trip)] else {
            return reject(.noFactor, "trip '\(tripID)' has a route type with no mode (ferry, aerial lift, funicular, …)")
        }
        if let declared, declared != mode {
            return reject(.modeMismatch, "field 'mode': '\(declared.rawValue)' but trip '\(tripID)' is a \(mode.rawValue) trip")
        }
        guard let perBoarding = rule.gramsPerBoarding(mode) else {
            let modes = rule.grams.keys.sorted().joined(separator: ", ")
            return reject(.noAlighting, "the leg on trip '\(tripID)' has no alighting stop and policy \(policy.version) credits "
                + "boardings only by \(modes); add \"\(mode.rawValue)\": N to boarding_only.grams to credit \(mode.rawValue) boardings")
        }
        guard let date = record.serviceDate, let boardTime = record.boardServiceSeconds else {
            return reject(.missingField, "a leg without an alighting stop needs its service date and boarding time (service_date, boarding_time)")
        }
        guard feed.calendar.isActive(service: feed.tripService[Int(trip)], on: date) else {
            return reject(.tripNotRunning, "trip '\(tripID)' does not run on \(date)")
        }
        guard let board = feed.boarding(trip: trip, stop: boardStop, sequence: record.boardSequence) else {
            if let q = record.boardSequence {
                return reject(.unknownStop, "trip '\(tripID)' does not call at '\(boardID)' at stop_sequence \(q)")
            }
            return reject(.unknownStop, "trip '\(tripID)' does not call at '\(boardID)'")
        }
        guard !board.isLast else {
            return reject(.unknownStop, "'\(boardID)' is the last stop of trip '\(tripID)': no one boards there")
        }
        if board.departure >= 0 {
            let dep = board.departure + feed.runOffset(trip: trip, templateDeparture: board.departure, boardTime: boardTime)
            let tol = Int32(clamping: policy.scheduleToleranceSeconds)
            guard abs(boardTime - dep) <= tol else {
                return reject(.offSchedule, "boarding at \(clock(boardTime)) but trip '\(tripID)' leaves '\(boardID)' at \(clock(dep)) (tolerance \(tol) s)")
            }
        }
        return .success(PricedLeg(line: record.line, source: record.source, eventID: record.eventID,
                                  contentHash: record.contentHash, riderID: record.riderID, mode: mode, day: date,
                                  metres: 0, distanceSource: .perBoarding, tripID: tripID,
                                  factorMilligramsPerKm: 0, factorSource: .perBoarding,
                                  savingMilligramsPerKm: 0, gramsUncapped: perBoarding,
                                  grams: min(perBoarding, policy.caps.perTripGrams)))
    }
}
