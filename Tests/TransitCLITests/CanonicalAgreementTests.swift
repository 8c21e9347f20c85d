import Foundation
import GTFS
import Testing
import TestSupport

/// `transit gtfs validate` against the canonical validator's notices, as gtfs-guru 1.0.0 (a
/// reimplementation of MobilityData's validator that `scripts/setup` installs into
/// `.venv-tools/`) reports them, on every shared real feed, every broken case and the sample
/// city, with the same date.
///
/// Per feed, errors and warnings are compared as sets of (code, row): the row is the notice's
/// `csvRowNumber` (our `line`). gtfs-guru leaves the row out of some notices (for example
/// `foreign_key_violation`, `number_out_of_range`, `feed_expiration_date7_days`); for those
/// codes the offending value is compared instead (our `value`), or, without one, the code
/// alone. Our own codes (not in ``NoticeCatalog/canonical``) are not compared. A difference
/// fails the test unless ``deliberate`` lists it with its reason.
@Suite("Agreement with the canonical validator (gtfs-guru)")
struct CanonicalAgreementTests {
    /// The date both validators compare with.
    static let today = "20261207"

    /// Differences we keep on purpose: feed → (code, key) → reason. A key of `nil` covers every
    /// row of the code in that feed; a feed mapped to an empty dictionary is left out whole.
    static let deliberate: [String: (codes: [String: Set<String>?], reason: String)] = [
        "houston-metro-2015-packaging": ([:], "the files sit in a sub-folder: gtfs-guru reads none of them (missing_required_file for each), we read them and validate the feed, besides invalid_input_files_in_subfolder"),
        "transitfeed-bad_utf8": (["invalid_character": ["1"]], "a header with invalid UTF-8: we report it on line 1; gtfs-guru only checks values"),
        "transitfeed-contains_null": (["invalid_character": ["9"]], "a NUL byte inside a value is an invalid character to us, besides the ragged row both report"),
        "transitland-bart-errors": (["stop_without_stop_time": ["49"]], "the stop's row has an out-of-range latitude; the canonical validator drops rows that fail to parse before its other rules, we keep them and report both"),
    ]

    /// The feeds compared: name → path.
    static let feeds: [(name: String, path: String)] = {
        var out: [(String, String)] = []
        if let root = SharedData.feeds, let dirs = try? FileManager.default.contentsOfDirectory(atPath: root) {
            for dir in dirs.sorted() where dir != "broken" {
                let zip = "\(root)/\(dir)/\(dir).zip"
                if FileManager.default.fileExists(atPath: zip) { out.append((dir, zip)) }
            }
            let broken = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/broken")) ?? []
            for file in broken.sorted() where file.hasSuffix(".zip") {
                out.append((String(file.dropLast(4)), "\(root)/broken/\(file)"))
            }
        }
        out.append(("sample-city", SharedData.samplePath))
        return out
    }()

    /// `.venv-tools/bin/python` when it imports gtfs_guru.
    static let guruPython: String? = {
        let venv = SharedData.packageRoot.appendingPathComponent(".venv-tools/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: venv),
              let probe = try? ChildProcess.run(venv, ["-c", "import gtfs_guru"]), probe.status == 0 else { return nil }
        return venv
    }()

    /// One notice, reduced to what is compared.
    struct Notice: Hashable {
        let code: String
        let key: String
    }

    /// How a code's notices are keyed, decided by gtfs-guru's notices of it.
    enum KeyKind { case row, value, none }

    static func normalized(_ value: Any?) -> String {
        switch value {
        case nil, is NSNull: return ""
        case let n as NSNumber: return String(n.doubleValue)
        case let s as String: return Double(s).map { String($0) } ?? s
        default: return "\(value ?? "")"
        }
    }

    /// A comparison that could not be made (a tool failed or printed no JSON).
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// gtfs-guru's errors and warnings for `path`, and the key kind of each code.
    static func guru(_ path: String) throws -> (notices: Set<Notice>, kinds: [String: KeyKind]) {
        guard let python = guruPython else { throw Failure(description: "gtfs-guru is not installed") }
        let script = SharedData.packageRoot.appendingPathComponent("scripts/guru-notices.py").path
        let r = try ChildProcess.run(python, [script, path, today])
        guard r.status == 0,
              let list = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] else {
            throw Failure(description: "gtfs-guru failed on \(path): \(r.stderr.prefix(400))")
        }
        var kinds: [String: KeyKind] = [:]
        var notices = Set<Notice>()
        for n in list {
            guard let code = n["code"] as? String, let severity = n["severity"] as? String,
                  severity == "error" || severity == "warning" else { continue }
            let context = n["context"] as? [String: Any] ?? [:]
            let row = n["row"] as? Int
            let kind = kinds[code] ?? (row != nil ? .row : context["fieldValue"] != nil ? .value : .none)
            kinds[code] = kind
            switch kind {
            case .row: notices.insert(Notice(code: code, key: row.map(String.init) ?? ""))
            case .value: notices.insert(Notice(code: code, key: normalized(context["fieldValue"])))
            case .none: notices.insert(Notice(code: code, key: ""))
            }
        }
        return (notices, kinds)
    }

    /// Our canonical errors and warnings for `path`, keyed as gtfs-guru keys each code.
    static func ours(_ path: String, kinds: [String: KeyKind]) throws -> Set<Notice> {
        let r = try TransitBinary.run(["gtfs", "validate", path, "--format", "json", "--max-per-code", "1000000",
                                       "--today", today, "--no-info"])
        guard r.status <= 2, let findings = try TransitBinary.json(r.stdout)["findings"] as? [[String: Any]] else {
            throw Failure(description: "transit gtfs validate \(path) failed: \(r.stderr.prefix(400))")
        }
        var notices = Set<Notice>()
        for f in findings {
            guard let code = f["code"] as? String, NoticeCatalog.isCanonical(code) else { continue }
            switch kinds[code] ?? .row {
            case .row: notices.insert(Notice(code: code, key: (f["line"] as? Int).map(String.init) ?? ""))
            case .value: notices.insert(Notice(code: code, key: normalized(f["value"])))
            case .none: notices.insert(Notice(code: code, key: ""))
            }
        }
        return notices
    }

    /// The comparison of one feed.
    struct Outcome: Sendable {
        var name: String
        var pairs = 0, pairsFound = 0
        var rowRecall: [Double] = []
        var ourPairs: [Double] = []
        var undeclared: [String] = []
    }

    static func compare(_ name: String, _ path: String) throws -> Outcome {
        var outcome = Outcome(name: name)
        if let d = deliberate[name], d.codes.isEmpty { return outcome }
        let (theirs, kinds) = try guru(path)
        let mine = try ours(path, kinds: kinds)
        let allowed = deliberate[name]?.codes ?? [:]
        func excused(_ n: Notice) -> Bool {
            guard let entry = allowed[n.code] else { return false }
            return entry.map { $0.contains(n.key) } ?? true
        }
        let theirCodes = Dictionary(grouping: theirs, by: \.code), ourCodes = Dictionary(grouping: mine, by: \.code)
        for (code, rows) in theirCodes {
            outcome.pairs += 1
            let found = rows.filter { mine.contains($0) }
            if !found.isEmpty || ourCodes[code] != nil { outcome.pairsFound += 1 }
            outcome.rowRecall.append(Double(found.count) / Double(rows.count))
        }
        for (_, rows) in ourCodes {
            outcome.ourPairs.append(Double(rows.filter { theirs.contains($0) }.count) / Double(rows.count))
        }
        for n in theirs.subtracting(mine) where !excused(n) {
            outcome.undeclared.append("\(name): gtfs-guru reports \(n.code) at \(n.key.isEmpty ? "(feed)" : n.key), we do not")
        }
        for n in mine.subtracting(theirs) where !excused(n) {
            outcome.undeclared.append("\(name): we report \(n.code) at \(n.key.isEmpty ? "(feed)" : n.key), gtfs-guru does not")
        }
        return outcome
    }

    @Test("every shared feed, broken case and the sample: the same (code, row) sets, or a listed reason",
          .enabled(if: guruPython != nil || SharedData.isCI, "gtfs-guru is not installed: run bash scripts/setup"),
          .timeLimit(.minutes(30)))
    func agreement() async throws {
        #expect(Self.guruPython != nil, "CI must have gtfs-guru: scripts/setup installs gtfs-guru==1.0.0 into .venv-tools")
        if SharedData.root == nil { Issue.record(Comment(rawValue: SharedData.missingMessage)); return }
        // The comparisons wait on child processes: they run one after another on a thread of
        // their own, so they never hold the threads Swift concurrency gives the other tests.
        let feeds = Self.feeds
        let results: [Result<Outcome, Failure>] = await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: feeds.map { feed in
                    Result { try Self.compare(feed.name, feed.path) }.mapError { Failure(description: "\($0)") }
                })
            }.start()
        }
        let outcomes = try results.map { try $0.get() }
        var lines = ["feed                               pairs  found  row recall  precision"]
        var pairs = 0, found = 0, recalls: [Double] = [], precisions: [Double] = []
        for o in outcomes {
            pairs += o.pairs; found += o.pairsFound
            recalls += o.rowRecall; precisions += o.ourPairs
            let recall = o.rowRecall.isEmpty ? 1 : o.rowRecall.reduce(0, +) / Double(o.rowRecall.count)
            let precision = o.ourPairs.isEmpty ? 1 : o.ourPairs.reduce(0, +) / Double(o.ourPairs.count)
            lines.append(o.name.padding(toLength: 35, withPad: " ", startingAt: 0)
                         + "\(o.pairs)".leftPadded(5) + "\(o.pairsFound)".leftPadded(7)
                         + percent(recall).leftPadded(12) + percent(precision).leftPadded(11))
        }
        let pairShare = pairs == 0 ? 1 : Double(found) / Double(pairs)
        let recall = recalls.isEmpty ? 1 : recalls.reduce(0, +) / Double(recalls.count)
        let precision = precisions.isEmpty ? 1 : precisions.reduce(0, +) / Double(precisions.count)
        lines.append("total: \(found) of \(pairs) (feed, code) pairs found (\(percent(pairShare))); rows found per pair \(percent(recall)) on average; our pairs confirmed \(percent(precision)) on average")
        print(lines.joined(separator: "\n"))
        #expect(pairShare >= 0.98)
        #expect(recall >= 0.95)
        #expect(precision >= 0.95)
        let undeclared = outcomes.flatMap(\.undeclared)
        #expect(undeclared.isEmpty, "differences not listed as deliberate:\n\(undeclared.prefix(40).joined(separator: "\n"))")
    }

    @Test("the list of deliberate differences names only feeds that exist")
    func deliberateFeedsExist() {
        let names = Set(Self.feeds.map(\.name))
        if SharedData.root != nil {
            for name in Self.deliberate.keys { #expect(names.contains(name), "\(name) is not a shared feed") }
        }
        #expect(Self.deliberate.values.allSatisfy { !$0.reason.isEmpty })
    }

    func percent(_ x: Double) -> String { "\(Int((x * 1000).rounded()) / 10).\(Int((x * 1000).rounded()) % 10) %" }
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
