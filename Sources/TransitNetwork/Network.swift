import GTFS

/// The namespace of the network module's shared constants.
public enum NetworkDefaults {
    /// The default analysis periods, `HH:MM-HH:MM` (ends may pass 24:00).
    public static let periods = "05:00-07:00,07:00-09:00,09:00-16:00,16:00-19:00,19:00-23:00,23:00-29:00"
}
