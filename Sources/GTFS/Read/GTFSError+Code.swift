extension GTFSError {
    /// A stable code to match on without the case's values (the same for every error of a
    /// case); its raw value is the case's name in snake_case.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The snake_case code.
        public let rawValue: String

        /// A code from its snake_case form.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The snake_case code.
        public var description: String { rawValue }

        /// The path does not exist.
        public static let notFound = Code(rawValue: "not_found")
        /// The path is neither a directory nor a readable zip archive.
        public static let unreadable = Code(rawValue: "unreadable")
        /// Writing failed; nothing was left half-written.
        public static let writeFailed = Code(rawValue: "write_failed")
        /// A file of the feed is larger than ``ReadOptions/maxFileBytes``.
        public static let fileTooLarge = Code(rawValue: "file_too_large")
    }

    /// The error's code.
    public var code: Code {
        switch self {
        case .notFound: .notFound
        case .unreadable: .unreadable
        case .writeFailed: .writeFailed
        case .fileTooLarge: .fileTooLarge
        }
    }
}
