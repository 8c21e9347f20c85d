/// Defaults of the planner, in one place so the CLI help and the documentation agree.
public enum PlanningDefaults {
    /// Allowed headways in seconds: 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45 and 60 minutes.
    public static let headways: [Int32] = [3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 60].map { $0 * 60 }
    /// The desired load factor: the share of a vehicle's places (seated + standing) planned to
    /// be used at the maximum load point.
    public static let loadFactor = 0.85
    /// Value of passenger time, currency per hour.
    public static let valueOfTime = 15.0
    /// Operating cost, currency per vehicle-hour.
    public static let vehicleHourCost = 120.0
    /// The relative optimality gap the solver must prove.
    public static let relativeGap = 1e-6
}
