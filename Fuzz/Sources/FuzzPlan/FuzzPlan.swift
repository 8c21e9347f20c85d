// The plan JSON (`transit plan --format json`) → Timetable's HeadwayPlan.parse, as
// `transit timetable --plan` reads it.
import Foundation
import FuzzSupport
import Timetable

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? HeadwayPlan.parse(Data(bytes: data, count: size), path: "plan.json")
    return 0
}
