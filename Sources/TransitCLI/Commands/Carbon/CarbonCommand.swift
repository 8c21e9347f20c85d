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
            one SQLite file (WAL); crediting the same log twice credits nothing the second time.
            """,
        subcommands: [CarbonCredit.self, CarbonBalance.self, CarbonStatement.self, CarbonReverse.self,
                      CarbonRedeem.self, CarbonExpire.self, CarbonExport.self, CarbonFactors.self, CarbonGenerateLog.self]
    )
}

/// Options shared by the commands that name a rider.
struct PseudonymOptions: ParsableArguments {
    @Flag(help: "Replace rider ids with a keyed hash (HMAC-SHA256) before anything is stored or looked up. The secret comes from --secret-file or $TRANSIT_CARBON_SECRET.")
    var pseudonymize = false

    @Option(help: "A file holding the pseudonymization secret (at least 16 bytes).")
    var secretFile: String?

    /// The pseudonymizer, when asked for.
    func pseudonymizer() throws -> Pseudonymizer? {
        guard pseudonymize else {
            if secretFile != nil { throw ValidationError("--secret-file is only used with --pseudonymize") }
            return nil
        }
        var secret: [UInt8]
        if let secretFile {
            guard let data = FileManager.default.contents(atPath: secretFile) else {
                throw ValidationError("--secret-file: cannot read \(secretFile)")
            }
            secret = Array(data)
            while let last = secret.last, last == 0x0A || last == 0x0D { secret.removeLast() }
        } else if let env = ProcessInfo.processInfo.environment["TRANSIT_CARBON_SECRET"], !env.isEmpty {
            secret = Array(env.utf8)
        } else {
            throw ValidationError("--pseudonymize needs a secret: set TRANSIT_CARBON_SECRET or pass --secret-file FILE")
        }
        do {
            return try Pseudonymizer(secret: secret)
        } catch {
            throw ValidationError(error.description)
        }
    }
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
