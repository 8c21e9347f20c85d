import Foundation
@testable import GTFS
import Testing

@Suite("Field values")
struct ValueTests {
    @Test("times: one-digit hours, past midnight, and the seconds they mean", arguments: [
        ("08:00:00", 28_800), ("5:30:00", 19_800), ("00:00:00", 0), ("24:35:00", 88_500),
        ("29:39:00", 106_740), ("105:00:00", 378_000),
    ])
    func validTimes(text: String, seconds: Int32) {
        #expect(GTFSTime.parse(text) == seconds)
    }

    @Test("not times", arguments: ["8:00", "08:60:00", "08:00:60", "08-00-00", "", "ab:cd:ef", "08:00:00 x", "-1:00:00"])
    func invalidTimes(text: String) {
        #expect(GTFSTime.parse(text) == nil)
    }

    @Test("formatting a time pads to HH:MM:SS and keeps hours past 24")
    func formatTime() {
        #expect(GTFSTime.format(19_800) == "05:30:00")
        #expect(GTFSTime.format(88_500) == "24:35:00")
        #expect(GTFSTime.format(-1) == "")
    }

    @Test("dates: real days only, leap years included", arguments: [
        ("20240229", true), ("20230229", false), ("21000229", false), ("20000229", true),
        ("20261231", true), ("20261301", false), ("20260100", false), ("2026-01-01", false), ("2007.01.01", false),
    ])
    func dates(text: String, valid: Bool) {
        #expect((GTFSDate(text) != nil) == valid)
    }

    @Test("weekday and day arithmetic agree with the calendar")
    func weekdays() throws {
        let d = try #require(GTFSDate("20261128")) // a Saturday
        #expect(d.weekday == 5)
        #expect(d.adding(days: 2).description == "20261130")
        #expect(d.adding(days: 2).weekday == 0)
        #expect(GTFSDate(daysSinceEpoch: 0).description == "19700101")
        #expect(d.iso8601 == "2026-11-28")
    }

    @Test("decimal numbers parse exactly like strtod", arguments: [
        "54.6872", "-0.5", "25.279651", "0", "123", "1e3", "6.02E-5", "+3.25", "0.000000000000000001",
        "1234567890.1234567", "-180", "90.000000",
    ])
    func reals(text: String) throws {
        let bytes = Array(text.utf8)
        let ours = bytes.withUnsafeBufferPointer { ValueParser.real($0.baseAddress, bytes.count) }
        let reference = strtod(text, nil)
        #expect(ours == reference)
    }

    @Test("not decimal numbers", arguments: ["", ".", "-", "1.2.3", "abc", "nan", "inf", "0x10", "1e", "1,5"])
    func invalidReals(text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { ValueParser.real($0.baseAddress, bytes.count) } == nil)
    }

    @Test("integers within Int32, signs allowed", arguments: [("0", 0), ("-2", -2), ("+7", 7), ("2147483647", 2_147_483_647)])
    func integers(text: String, value: Int32) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { ValueParser.integer($0.baseAddress, bytes.count) } == value)
    }

    @Test("not integers (or too large)", arguments: ["", "1.0", "2147483648", "-2147483648", "x1", "1 2", "-"])
    func invalidIntegers(text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBufferPointer { ValueParser.integer($0.baseAddress, bytes.count) } == nil)
    }
}
