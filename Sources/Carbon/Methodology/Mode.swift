/// A way of travelling that the methodology knows a factor for.
///
/// Raw values are the names used in factor sets, policies and trip logs.
public enum Mode: String, Sendable, CaseIterable, Hashable, Codable {
    /// Walking.
    case walk
    /// Cycling (own or shared bike).
    case bike
    /// Local bus (GTFS route_type 3, 11 trolleybus).
    case bus
    /// Coach (GTFS route_type 200-299).
    case coach
    /// Tram or light rail (GTFS route_type 0, 5 cable tram, 12 monorail).
    case tram
    /// Metro / subway (GTFS route_type 1).
    case metro
    /// Rail (GTFS route_type 2 and 100-199).
    case rail
    /// Petrol car (a baseline, never credited).
    case carPetrol = "car_petrol"
    /// Diesel car (a baseline, never credited).
    case carDiesel = "car_diesel"
    /// Battery electric car (a baseline, never credited).
    case carElectric = "car_electric"

    /// Whether trips by this mode can earn points (cars are baselines only).
    public var isGreen: Bool {
        switch self {
        case .carPetrol, .carDiesel, .carElectric: false
        default: true
        }
    }

    /// The mode of a GTFS `route_type` (basic and extended types), or `nil` for types with no
    /// factor here (ferry, aerial lift, funicular, taxi, air).
    /// - Complexity: O(1).
    public init?(routeType: Int32) {
        switch routeType {
        case 0, 5, 12, 900...999: self = .tram
        case 1, 400...499: self = .metro
        case 2, 100...199: self = .rail
        case 3, 11, 700...799, 800...899: self = .bus
        case 200...299: self = .coach
        default: return nil
        }
    }

    /// Parses a trip-log mode, accepting a few common synonyms (`cycling`, `walking`,
    /// `subway`, `light_rail`, `train`), case-insensitively.
    public init?(logName: String) {
        if let m = Mode(rawValue: logName) { self = m; return }
        let s = logName.lowercased()
        if let m = Mode(rawValue: s) { self = m; return }
        switch s {
        case "walking", "foot": self = .walk
        case "cycling", "bicycle", "cycle": self = .bike
        case "subway", "underground": self = .metro
        case "light_rail", "lightrail": self = .tram
        case "train": self = .rail
        default: return nil
        }
    }
}
