import TransitSupport
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
            one SQLite file (WAL), or a shared PostgreSQL database named by a postgres:// URL \
            (--ledger on every command); crediting the same log twice credits nothing the \
            second time.
            """,
        subcommands: [CarbonCredit.self, CarbonBalance.self, CarbonStatement.self, CarbonReverse.self,
                      CarbonRedeem.self, CarbonExpire.self, CarbonExport.self, CarbonCopy.self, CarbonFactors.self, CarbonGenerateLog.self, CarbonKeys.self,
                      CarbonReportCommand.self]
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
/// it at the end, so readers never see a partial file (TransitSupport's `AtomicFileWriter`),
/// with the command's messages: `cannot write <file>: <reason>`.
final class AtomicTextFile {
    private let file: AtomicFileWriter

    init(path: String) throws {
        do {
            file = try AtomicFileWriter(path: path)
        } catch {
            throw ValidationError("cannot write \(error.path): \(error.systemMessage)")
        }
    }

    func write(_ text: String) {
        file.write(text)
    }

    /// Flushes, syncs and renames the file into place.
    func commit() throws {
        do {
            try file.commit()
        } catch {
            throw ValidationError("cannot write \(file.path): \(error.systemMessage)")
        }
    }
}

/// A CSV field, quoted when needed.
func csvField(_ s: String) -> String {
    s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
}
