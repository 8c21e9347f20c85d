// Limits every report keeps, whatever the size of the feed.

/// The bounds that keep a report small enough to open and mail on any feed.
public enum ReportLimits {
    /// The most bytes a report may have (5 MB): the reports check themselves against it in tests.
    public static let maximumBytes = 5_000_000
    /// How many routes the stringline and block charts show when `--routes` is not given: the
    /// busiest by trips on the day.
    public static let defaultBusiestRoutes = 8
    /// The most vehicle blocks one Gantt chart draws (the rest are counted in a note).
    public static let maximumGanttRows = 120
    /// The most periods a period switcher offers.
    public static let maximumSwitcherPanels = 12
    /// The Douglas–Peucker tolerance of map lines, pixels.
    public static let mapTolerance = 0.75
}
