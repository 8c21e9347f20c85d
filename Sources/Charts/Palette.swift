// Colours that survive colour blindness and grey-scale printing.

/// The colours of every chart.
///
/// Categories use Okabe and Ito's eight colours (Okabe & Ito 2008, "Color Universal Design"),
/// distinguishable with the common forms of colour blindness. Changes use a diverging scheme
/// from ColorBrewer (Brewer, colorbrewer2.org: "PuOr", marked colour-blind safe and print
/// friendly): purple for better service (shorter headway), orange for less. Figures never rely
/// on colour alone: marks carry a tooltip, lines a width, legends a word.
public enum Palette {
    /// Okabe–Ito, black last: blue, orange, bluish green, vermilion, sky blue, reddish
    /// purple, yellow, black.
    public static let categorical = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]

    /// The categorical colour of index `i` (cycling).
    public static func category(_ i: Int) -> String {
        categorical[((i % categorical.count) + categorical.count) % categorical.count]
    }

    /// ColorBrewer PuOr, 7 classes, from strong orange (−3) through grey-white (0) to strong purple (+3).
    public static let diverging = ["#b35806", "#f1a340", "#fee0b6", "#d8d8d8", "#d8daeb", "#998ec3", "#542788"]

    /// The diverging colour for a class from −3 to +3 (clamped).
    public static func change(_ step: Int) -> String {
        diverging[max(-3, min(3, step)) + 3]
    }

    /// Neutral grey for context (axes, grid, unchanged).
    public static let axis = "#4a4a4a"
    /// Light grey for grid lines.
    public static let grid = "#e2e2e2"
    /// The colour of limits (fleet, capacity): vermilion, drawn dashed.
    public static let limit = "#D55E00"
}
