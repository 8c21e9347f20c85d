import Foundation
import GTFS
import TransitNetwork
import Testing
import TestSupport
import Timetable

/// Helpers of the timetable tests (plans from today's service: ``ServicePlans`` in TransitSynthetic).
enum PlanFixtures {
    /// A fresh temporary path (not created).
    static func temporaryPath(_ name: String) -> String {
        TemporaryFolder.uniquePath("timetable-tests") + "-" + name
    }
}

