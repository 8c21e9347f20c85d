import ArgumentParser
import Carbon
import GTFS
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `transit carbon …`: green-travel carbon points.
struct CarbonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "carbon",
        abstract: "Green-travel carbon points: price trip logs, keep the exactly-once ledger.",
        discussion: """
            Savings are (baseline − mode factor) × distance, rounded down to whole grams CO2e, \
            with the factor set and policy shown by `transit carbon factors`. The ledger is \
            one SQLite file (WAL); crediting the same log twice credits nothing the second time.
            """,
        subcommands: [CarbonCredit.self, CarbonBalance.self, CarbonStatement.self, CarbonReverse.self,
                      CarbonRedeem.self, CarbonExpire.self, CarbonExport.self, CarbonFactors.self, CarbonGenerateLog.self]
    )
}

/// Runs `body`, turning a ``CarbonError`` into a message on standard error and exit code 1.
func carbonRun<T>(_ body: () throws(CarbonError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        writeToStandardError("error: \(error.description)\n")
        throw ExitCode.failure
    }
}

/// A text file written line by line to a temporary file beside its target and renamed over
/// it at the end, so readers never see a partial file.
final class AtomicTextFile {
    let path: String
    let temporary: String
    private let file: UnsafeMutablePointer<FILE>
    private var open = true

    init(path: String) throws {
        self.path = path
        temporary = path + ".tmp-\(getpid())"
        guard let f = fopen(temporary, "wb") else {
            throw ValidationError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        file = f
    }

    func write(_ text: String) {
        var t = text
        t.withUTF8 { p in _ = fwrite(p.baseAddress, 1, p.count, file) }
    }

    /// Flushes, syncs and renames the file into place.
    func commit() throws {
        let ok = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        open = false
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit {
        if open {
            fclose(file)
            unlink(temporary)
        }
    }
}

/// A CSV field, quoted when needed.
func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
