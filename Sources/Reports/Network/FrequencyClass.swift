// How often a route runs, in the words planners use: every 10, 15, 30, 60 minutes.

public import Charts

/// A class of mean headway, for colours on maps, charts and tables.
///
/// The colours are a sequential blue ramp from ColorBrewer's "Blues" (Brewer, colorbrewer2.org,
/// 9 classes; marked colour-blind safe and print friendly): steps 9, 7, 5 and 4, darkest for
/// the most frequent service, and a neutral grey for the rarest. Figures never rely on the
/// colour alone: map lines also carry their width (trips per hour) and a tooltip, table cells
/// their number.
public enum FrequencyClass: Int, Sendable, Hashable, CaseIterable, Comparable {
    /// A mean headway of at most 10 minutes.
    case tenMinutes = 0
    /// Over 10, at most 15 minutes.
    case fifteenMinutes
    /// Over 15, at most 30 minutes.
    case thirtyMinutes
    /// Over 30, at most 60 minutes.
    case hourly
    /// Over 60 minutes, or a single departure (no headway).
    case rare

    /// The class of a mean headway in seconds; `nil` (fewer than two departures) is ``rare``.
    public init(headway seconds: Double?) {
        guard let seconds, seconds.isFinite else { self = .rare; return }
        switch seconds {
        case ...600: self = .tenMinutes
        case ...900: self = .fifteenMinutes
        case ...1800: self = .thirtyMinutes
        case ...3600: self = .hourly
        default: self = .rare
        }
    }

    /// The legend's words.
    public var name: String {
        switch self {
        case .tenMinutes: "every ≤ 10 min"
        case .fifteenMinutes: "≤ 15 min"
        case .thirtyMinutes: "≤ 30 min"
        case .hourly: "≤ 60 min"
        case .rare: "> 60 min or 1 trip"
        }
    }

    /// The colour (see the type's discussion).
    public var color: String {
        switch self {
        case .tenMinutes: "#08306b"
        case .fifteenMinutes: "#2171b5"
        case .thirtyMinutes: "#6baed6"
        case .hourly: "#9ecae1"
        case .rare: "#a6a6a6"
        }
    }

    /// The text colour that reads on ``color`` (white on the two darkest).
    public var textColor: String { rawValue <= 1 ? "#ffffff" : "#1b1b1b" }

    /// The CSS class of a table cell shaded with this class (``styleSheet``).
    public var cssClass: String { "hw\(rawValue)" }

    /// The legend entry.
    public var style: SeriesStyle { SeriesStyle(name: name, color: color) }

    /// Table cell shading for the classes: `td.hw0` … `td.hw4`.
    public static var styleSheet: String {
        var s = ""
        for c in allCases {
            s += "td.\(c.cssClass) { background: \(c.color); color: \(c.textColor); }\n"
        }
        return s
    }

    /// Orders from the most frequent to the rarest.
    public static func < (a: FrequencyClass, b: FrequencyClass) -> Bool { a.rawValue < b.rawValue }
}
