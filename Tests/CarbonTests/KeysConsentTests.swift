import Carbon
import Foundation
import GRDB
import Testing
import TestSupport

@Suite struct KeysConsentTests {
    @Test(arguments: Backend.all) func keysAreRandomHashedAndRevocable(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        let a = try ledger.createKey(role: .operator, source: "metro", modes: [.metro, .bus], name: "metro co")
        let b = try ledger.createKey(role: .auditor)
        #expect(a.secret.hasPrefix("tpk_") && a.secret.count == 68)
        #expect(a.secret != b.secret && a.record.id != b.record.id)
        #expect(try ledger.authenticate(token: a.secret) == a.record)
        #expect(try ledger.authenticate(token: a.secret)?.modes == [.metro, .bus])
        #expect(try ledger.authenticate(token: b.secret)?.role == .auditor)
        // A token differing in one character, or of another shape, authenticates nobody.
        let last = a.secret.last == "0" ? "1" : "0"
        #expect(try ledger.authenticate(token: String(a.secret.dropLast()) + last) == nil)
        #expect(try ledger.authenticate(token: "tpk_") == nil)
        #expect(try ledger.authenticate(token: "") == nil)

        // Only the hash is stored: the secret appears nowhere in the file or the database.
        switch backend {
        case .sqlite:
            let bytes = try Data(contentsOf: URL(fileURLWithPath: ledger.location))
            #expect(bytes.range(of: Data(a.secret.utf8)) == nil)
        case .postgres:
            let dump = try TestPostgres.psql(ledger.location, "SELECT k::text FROM api_keys k")
            #expect(dump.contains(a.record.id) && !dump.contains(a.secret) && !dump.contains(String(a.secret.dropFirst(4))))
        }

        let revoked = try ledger.revokeKey(id: a.record.id)
        #expect(revoked.revokedAt != nil)
        #expect(try ledger.authenticate(token: a.secret) == nil)
        #expect(try ledger.revokeKey(id: a.record.id).revokedAt == revoked.revokedAt)
        #expect(throws: CarbonError.self) { try ledger.revokeKey(id: "k_0000000000000000") }
        let listed = try ledger.keys()
        #expect(Set(listed.map(\.id)) == [a.record.id, b.record.id])
        #expect(listed.first { $0.id == b.record.id }?.isActive == true)
    }

    @Test(arguments: Backend.all) func rolesAndSourcesMustFit(_ backend: Backend) throws {
        let ledger = try backend.fresh("l")
        for (role, source, modes) in [(KeyRole.operator, nil, nil), (.operator, "bad source", nil), (.merchant, "metro", nil),
                                      (.auditor, nil, [Mode.bus]), (.operator, "metro", [Mode]())] as [(KeyRole, String?, [Mode]?)] {
            #expect(throws: CarbonError.self, "\(role) \(source ?? "-")") { try ledger.createKey(role: role, source: source, modes: modes) }
        }
        #expect(try ledger.keys().isEmpty)
    }

    @Test func keysCannotBeDeletedOrAlteredInTheDatabase() throws {
        let path = try Fixture.folder() + "/l.sqlite"
        let ledger = try SQLiteLedger(path: path)
        let key = try ledger.createKey(role: .admin)
        _ = try ledger.recordConsent(rider: "R", sources: ["app"], modes: nil, recordedBy: key.record.id)
        let db = try DatabaseQueue(path: path)
        #expect(throws: (any Error).self) { try db.write { try $0.execute(sql: "DELETE FROM api_keys") } }
        #expect(throws: (any Error).self) { try db.write { try $0.execute(sql: "UPDATE api_keys SET role = 'operator'") } }
        #expect(throws: (any Error).self) { try db.write { try $0.execute(sql: "UPDATE api_keys SET key_hash = x'00'") } }
        #expect(throws: (any Error).self) { try db.write { try $0.execute(sql: "DELETE FROM consents") } }
        #expect(throws: (any Error).self) { try db.write { try $0.execute(sql: "UPDATE consents SET sources = 'other'") } }
        #expect(try ledger.consent(rider: "R")?.sources == ["app"])
        #expect(try ledger.authenticate(token: key.secret)?.role == .admin)
    }

    @Test func creditRunsRejectTripsWithoutConsentWhenThePolicyRequiresIt() throws {
        let folder = try Fixture.folder()
        let ledger = try SQLiteLedger(path: folder + "/l.sqlite")
        var text = try String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("Sources/Carbon/Data/policy-default.json").path, encoding: .utf8)
        text = text.replacingOccurrences(of: "{", with: "{\"require_consent\": true,", options: [], range: text.range(of: "{"))
        let policy = try Policy.parse(text, file: "p.json")
        let log = folder + "/log.csv"
        try """
            event_id,source,rider_id,mode,start_time,end_time,distance_m
            e1,app,R1,bike,2024-05-06T07:00:00+08:00,2024-05-06T07:20:00+08:00,4000
            e2,app,R2,bike,2024-05-06T07:00:00+08:00,2024-05-06T07:20:00+08:00,4000
            e3,app,R2,walk,2024-05-06T09:00:00+08:00,2024-05-06T09:20:00+08:00,1500
            e4,other,R2,bike,2024-05-06T10:00:00+08:00,2024-05-06T10:20:00+08:00,4000
            """.write(toFile: log, atomically: true, encoding: .utf8)
        _ = try ledger.recordConsent(rider: "R2", sources: ["app"], modes: [.bike], recordedBy: "test")
        var rejections: [Rejection] = []
        let pricer = Pricer(factors: try Fixture.factors(), policy: policy)
        let summary = try CreditRun.run(logPath: log, pricer: pricer, ledger: ledger, onRejection: { rejections.append($0) })
        #expect(summary.accepted == 1)
        #expect(summary.rejectedByReason[.noConsent] == 3)
        #expect(rejections.map(\.eventID) == ["e1", "e3", "e4"])
        #expect(!rejections.contains { $0.detail.contains("R1") || $0.detail.contains("R2") }, "no rider ids in rejection details")
        #expect(try ledger.entries().map(\.eventID) == ["e2"])
        #expect(try ledger.consent(rider: "R2")?.allows(source: "app", mode: .walk) == false)
        #expect(try ledger.consent(rider: "R1") == nil)
    }

    @Test func aCreditRunWhoseLogCannotBeReadToItsEndFailsInsteadOfCreditingLess() throws {
        let folder = try Fixture.folder()
        let ledger = try SQLiteLedger(path: folder + "/l.sqlite")
        let pricer = Pricer(factors: try Fixture.factors(), policy: try Policy.parse(
            String(contentsOfFile: SharedData.packageRoot.appendingPathComponent("Sources/Carbon/Data/policy-default.json").path, encoding: .utf8),
            file: "p.json"))
        // A folder opens, and its first read fails (EISDIR): as JSON Lines the header is not
        // read first, so the failure shows up in the run, after the (empty) batches.
        do {
            let summary = try CreditRun.run(logPath: folder, format: .jsonLines, pricer: pricer, ledger: ledger)
            Issue.record("credited \(summary.accepted) records from a log that could not be read")
        } catch {
            #expect(error.code == .logUnreadable, "\(error)")
            #expect(error.message.contains("none after"))
        }
        #expect(try ledger.entries().isEmpty)
    }

    @Test func tripBatchesDecodeTheLogFieldsAndNameTheirFaults() throws {
        let body = Array("""
            {"trips": [{"event_id": "a", "rider_id": "r", "mode": "bus", "distance_m": 1000.0, "board_stop_sequence": 3.0},
                       {"event_id": 7, "rider_id": "r"}]}
            """.utf8)
        let items = try TripBatch.decode(json: body, defaultSource: "metro", maxTrips: 10, pseudonymizer: nil)
        guard case .record(let r) = items[0] else { Issue.record("the first trip should be a record"); return }
        #expect(r.source == "metro" && r.distanceMetres == 1000 && r.boardSequence == 3)
        guard case .rejected(let bad) = items[1] else { Issue.record("the second trip should be rejected"); return }
        #expect(bad.field == "event_id" && bad.isMalformed && bad.line == 2)
        #expect(throws: TripBatchError.self) { try TripBatch.decode(json: body, defaultSource: "m", maxTrips: 1, pseudonymizer: nil) }
        #expect(throws: TripBatchError.self) { try TripBatch.decode(json: Array("{\"trips\": 1}".utf8), defaultSource: "m", maxTrips: 9, pseudonymizer: nil) }
        let lines = try TripBatch.decode(jsonLines: Array("{\"event_id\":\"x\",\"rider_id\":\"r\"}\r\n\n{\"event_id\":\"y\",\"rider_id\":\"s\"}".utf8),
                                         defaultSource: "m", maxTrips: 9, pseudonymizer: nil)
        #expect(lines.count == 2)
        #expect(throws: TripBatchError.self) { try TripBatch.decode(jsonLines: Array("{\"event_id\":\"x\"}\n[1]".utf8), defaultSource: "m", maxTrips: 9, pseudonymizer: nil) }
    }
}
