import Glibc
import TransitSupport

/// Everything that can go wrong while reading, extracting or writing a zip archive, or while
/// reading and writing an archive's file.
///
/// Each case says what failed and where; ``description`` adds what to do about it. The module
/// never traps on bad input: every malformed archive ends in one of these cases.
public enum ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call on `path` failed.
    ///
    /// - Parameters:
    ///   - path: The file or directory the call was about.
    ///   - operation: What was being done, in words (for example `"open for reading"`).
    ///   - errno: The C `errno` value the call left; ``description`` includes its `strerror` text.
    case io(path: String, operation: String, errno: Int32)

    /// The file at `path` has no end-of-central-directory record in its last 65,557 bytes, so it
    /// is not a zip archive (or it was cut off before its end).
    case notAZip(path: String)

    /// The archive at `path` is damaged: truncated or inconsistent headers, offsets or sizes
    /// outside the file, or a deflate stream that is invalid or does not inflate to the declared
    /// size. `detail` says which structure and where.
    case corrupt(path: String, detail: String)

    /// Entry `entry` is compressed with `method`; only 0 (stored) and 8 (deflate) are supported.
    case unsupportedMethod(entry: String, method: UInt16)

    /// Entry `entry` is encrypted (general-purpose flag bit 0); encryption is not supported.
    case encrypted(entry: String)

    /// Entry `entry` inflated to data whose CRC-32 is `actual`, but its header declares `expected`.
    case checksumMismatch(entry: String, expected: UInt32, actual: UInt32)

    /// Entry `entry` is `size` bytes uncompressed, more than this module accepts: 4 GiB when
    /// reading (a zip-bomb guard), 4 GiB − 1 byte per entry when writing.
    case entryTooLarge(entry: String, size: UInt64)

    /// Entry `entry` declares `size` bytes uncompressed, more than the `limit` its reader was
    /// given (``ZipArchive/extract(_:maxSize:)``, ``ZipEntryStream/init(archive:entry:maxSize:)``).
    /// Refused before anything is inflated; since an entry never inflates to more than it
    /// declares (that is ``corrupt(path:detail:)``), nothing past the limit is ever produced.
    case entryOverLimit(entry: String, size: UInt64, limit: UInt64)

    /// A one-paragraph, human-readable explanation: what failed, where, and what to do.
    public var description: String {
        switch self {
        case let .io(path, operation, code):
            // The same words as the file layer's own error (TransitSupport), advice included.
            return FileSystemError(.readFailed, path: path, operation: operation, errno: code).description
        case let .notAZip(path):
            return "'\(path)' is not a zip archive: no end-of-central-directory record was found in its "
                + "last 65,557 bytes. Check that the file is a complete .zip (not truncated, and not an "
                + "HTML error page saved by a failed download)."
        case let .corrupt(path, detail):
            return "The zip archive '\(path)' is damaged: \(detail). Download or create the archive again."
        case let .unsupportedMethod(entry, method):
            return "Entry '\(entry)' is compressed with method \(method) (\(ZipError.methodName(method))), "
                + "but only methods 0 (stored) and 8 (deflate) are supported. Re-create the archive with "
                + "standard deflate compression (for example with `zip -Z deflate`)."
        case let .encrypted(entry):
            return "Entry '\(entry)' is encrypted, and encrypted archives are not supported. "
                + "Provide an archive made without a password."
        case let .checksumMismatch(entry, expected, actual):
            return "Entry '\(entry)' failed its CRC-32 check (header says \(ZipError.hex(expected)), data gives "
                + "\(ZipError.hex(actual))): the archive is damaged. Download or create it again."
        case let .entryTooLarge(entry, size):
            return "Entry '\(entry)' is \(size) bytes uncompressed, more than the 4 GiB per-entry limit "
                + "(a guard against zip bombs and the plain zip format's 32-bit sizes). "
                + "Split the data into smaller files."
        case let .entryOverLimit(entry, size, limit):
            return "Entry '\(entry)' declares \(size) bytes uncompressed, more than the reader's ceiling of \(limit) "
                + "bytes (a guard against zip bombs); nothing was inflated. If the file is genuine, raise the ceiling "
                + "given to the reader (for GTFS feeds, ReadOptions.maxFileBytes)."
        }
    }

    /// The conventional name of a zip compression method number.
    private static func methodName(_ method: UInt16) -> String {
        switch method {
        case 0: return "stored"
        case 1: return "shrunk"
        case 2, 3, 4, 5: return "reduced"
        case 6: return "imploded"
        case 8: return "deflate"
        case 9: return "deflate64"
        case 10: return "PKWARE implode"
        case 12: return "bzip2"
        case 14: return "LZMA"
        case 93: return "Zstandard"
        case 95: return "xz"
        case 97: return "WavPack"
        case 98: return "PPMd"
        case 99: return "AES-encrypted"
        default: return "unknown"
        }
    }

    /// `0x` followed by eight lowercase hex digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}

extension ZipError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// A file operation failed (the errno says why).
        public static let io = Code(rawValue: "io")
        /// The file is not a zip archive.
        public static let notAZip = Code(rawValue: "not_a_zip")
        /// The archive is damaged.
        public static let corrupt = Code(rawValue: "corrupt")
        /// An entry is compressed with a method other than stored or deflate.
        public static let unsupportedMethod = Code(rawValue: "unsupported_method")
        /// An entry is encrypted.
        public static let encrypted = Code(rawValue: "encrypted")
        /// An entry's CRC-32 does not match its data.
        public static let checksumMismatch = Code(rawValue: "checksum_mismatch")
        /// An entry is too large to read.
        public static let entryTooLarge = Code(rawValue: "entry_too_large")
        /// An entry is larger than the ceiling its reader was given.
        public static let entryOverLimit = Code(rawValue: "entry_over_limit")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .io: .io
        case .notAZip: .notAZip
        case .corrupt: .corrupt
        case .unsupportedMethod: .unsupportedMethod
        case .encrypted: .encrypted
        case .checksumMismatch: .checksumMismatch
        case .entryTooLarge: .entryTooLarge
        case .entryOverLimit: .entryOverLimit
        }
    }
}
