import ArgumentParser
import Carbon
import Foundation

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
