import GTFS

extension TripLogReader {
    /// The record of one GTFS-ride `rider_trip.txt` row, or its rejection (see
    /// ``TripLogFormat/gtfsRide``).
    ///
    /// A row whose `alighting_stop_id` and `alighting_time` are both empty is a boarding-only
    /// leg (its alighting was not known or not inferred): a record without an alighting stop,
    /// which ``Pricer`` prices by the policy's ``BoardingOnlyRule``. Only one of them empty is
    /// rejected as ``RejectionReason/missingField``, naming the empty one. A row with an empty
    /// `trip_id` (a tap matched to no trip) is rejected as ``RejectionReason/missingField``,
    /// with the row's `unresolved_reason` when there is one. Columns the reader does not know
    /// are ignored.
    static func rideItem(line: Int, _ get: (LogColumn) -> FieldValue?, _ pseudonymizer: Pseudonymizer?) -> LogItem {
        func s(_ n: LogColumn) -> String? {
            if case .text(let v)? = get(n) { return v }
            return nil
        }
        var eventID: String?
        func reject(_ reason: RejectionReason, _ detail: String, field: String? = nil) -> LogItem {
            .rejected(Rejection(line: line, eventID: eventID, reason: reason, detail: detail, field: field))
        }
        // The tap id, when the file has one (an inferred rider_trip.txt): one event per tap.
        if let tap = s(.tap_id) {
            if let long = fieldTooLong("tap_id", tap, line: line, eventID: nil) { return .rejected(long) }
            let id = "tap:" + tap
            guard id.utf8.count <= maxFieldBytes else {
                return reject(.fieldTooLong, "the event id 'tap:' + tap_id is \(id.utf8.count) bytes, more than the \(maxFieldBytes)-byte limit; shorten tap_id", field: "tap_id")
            }
            eventID = id
        }
        if s(.trip_id) == nil, s(.rider_id) != nil, s(.boarding_stop_id) != nil {
            let why = s(.unresolved_reason).map { " (unresolved_reason: \(shown($0)))" } ?? ""
            return reject(.missingField, "field 'trip_id' is empty: the boarding was matched to no scheduled trip\(why), so it cannot be priced", field: "trip_id")
        }
        for f in [LogColumn.rider_id, .trip_id, .boarding_stop_id, .service_date, .boarding_time] where s(f) == nil {
            return reject(.missingField, "field '\(f.rawValue)' is missing or empty", field: f.rawValue)
        }
        let alightStop = s(.alighting_stop_id), at = s(.alighting_time)
        switch (alightStop, at) {
        case (nil, .some):
            return reject(.missingField, "field 'alighting_stop_id' is empty but 'alighting_time' is not: give both, or neither for a boarding-only leg", field: "alighting_stop_id")
        case (.some, nil):
            return reject(.missingField, "field 'alighting_time' is empty but 'alighting_stop_id' is not: give both, or neither for a boarding-only leg", field: "alighting_time")
        default:
            break
        }
        if alightStop == nil, s(.alighting_stop_sequence) != nil {
            return reject(.missingField, "field 'alighting_stop_id' is empty but 'alighting_stop_sequence' is not: give the alighting stop and time, or no alighting fields for a boarding-only leg", field: "alighting_stop_id")
        }
        for f in [LogColumn.agency_id, .rider_id, .trip_id, .boarding_stop_id, .alighting_stop_id, .service_date, .boarding_time,
                  .alighting_time, .boarding_stop_sequence, .alighting_stop_sequence] {
            if let v = s(f), let long = fieldTooLong(f.rawValue, v, line: line, eventID: eventID) { return .rejected(long) }
        }
        let riderRaw = s(.rider_id) ?? "", trip = s(.trip_id) ?? "", date = s(.service_date) ?? ""
        guard let serviceDate = GTFSDate(date) else { return reject(.badTime, "field 'service_date': '\(date)' is not a date YYYYMMDD") }
        let bt = s(.boarding_time) ?? ""
        guard let board = parseServiceTime(bt) else { return reject(.badTime, "field 'boarding_time': '\(bt)' is not HH:MM:SS") }
        var alight: Int32?
        if let at {
            guard let a = parseServiceTime(at) else { return reject(.badTime, "field 'alighting_time': '\(at)' is not HH:MM:SS") }
            alight = a
        }
        var bseq: Int32?, aseq: Int32?
        if let v = s(.boarding_stop_sequence) {
            guard let q = Int32(v) else { return reject(.wrongType, "field 'boarding_stop_sequence': '\(v)' is not an integer") }
            bseq = q
        }
        if let v = s(.alighting_stop_sequence) {
            guard let q = Int32(v) else { return reject(.wrongType, "field 'alighting_stop_sequence': '\(v)' is not an integer") }
            aseq = q
        }
        let rider = pseudonymizer?.pseudonym(riderRaw) ?? riderRaw
        let boardStop = s(.boarding_stop_id) ?? ""
        let id: String
        if let eventID {
            id = eventID
        } else {
            id = [s(.agency_id) ?? "", trip, date, bseq.map { "\($0)" } ?? boardStop, bt, rider].joined(separator: ":")
            if let long = fieldTooLong("event_id", id, line: line, eventID: nil) {
                return .rejected(Rejection(line: line, eventID: nil, reason: .fieldTooLong,
                                           detail: "the event id made of agency_id:trip_id:service_date:stop:boarding_time:rider is \(id.utf8.count) bytes, more than the \(maxFieldBytes)-byte limit; shorten the identifiers",
                                           field: long.field))
            }
        }
        var r = TripRecord(line: line, eventID: id, source: "gtfs-ride", riderID: rider)
        r.tripID = trip
        r.boardStopID = boardStop
        r.boardSequence = bseq
        r.alightStopID = alightStop
        r.alightSequence = aseq
        r.serviceDate = serviceDate
        r.boardServiceSeconds = board
        r.alightServiceSeconds = alight
        return .record(r)
    }
}
