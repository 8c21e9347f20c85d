/// What ``LedgerCopy/copy(from:to:pageSize:progress:)`` copied.
public struct LedgerCopySummary: Sendable, Equatable {
    /// Keys in the source (each added to the destination or already there).
    public var keys = 0
    /// Consent entries appended by this run.
    public var consents = 0
    /// Entries appended by this run.
    public var entries = 0
    /// Entries the destination already had (a resumed copy).
    public var entriesAlreadyThere: Int64 = 0
    /// The source's last entry id, which the destination's now is.
    public var lastEntryID: Int64 = 0

    /// Creates an empty summary.
    public init() {}
}

/// Copies a ledger to another backend (SQLite to PostgreSQL and back), entry for entry.
///
/// Entries keep their ids, kinds, keys, amounts and timestamps, so balances, statements and
/// the export are identical afterwards. Keys keep their hashes (the secrets keep working) and
/// revocations; consent entries keep their ids.
///
/// Resumable: each page of entries is one transaction in the destination, and a run starts
/// after the destination's last entry, so a copy interrupted at any point (even killed) is
/// completed by running it again. Before it appends, it checks that the destination's last
/// entry and consent entry are the source's (same id and key): a destination that was
/// written to on its own is refused (`copy_mismatch`) rather than merged. Copy into a
/// ledger no service is writing to.
public enum LedgerCopy {
    /// Copies `source` into `destination`, `pageSize` entries per transaction, calling
    /// `progress` with the entries copied so far and the source's last id.
    /// - Throws: ``CarbonError`` `copy_mismatch`, or the backends' read and write errors (what
    ///   was committed stays; run again to resume).
    public static func copy(from source: any Ledger, to destination: any Ledger, pageSize: Int = 5_000,
                            progress: (Int64, Int64) -> Void = { _, _ in }) throws(CarbonError) -> LedgerCopySummary {
        var summary = LedgerCopySummary()
        let keys = try source.storedKeys()
        try destination.merge(keys: keys)
        summary.keys = keys.count

        var consentCursor = try destination.lastConsentID()
        if consentCursor > 0 {
            let theirs = try destination.consents(after: consentCursor - 1, limit: 1).first
            let ours = try source.consents(after: consentCursor - 1, limit: 1).first
            guard let theirs, let ours, theirs == ours else {
                throw mismatch("consent entry \(consentCursor)", source, destination)
            }
        }
        while true {
            let page = try source.consents(after: consentCursor, limit: pageSize)
            guard let last = page.last else { break }
            try destination.append(copied: page)
            summary.consents += page.count
            consentCursor = last.id
        }

        let end = try source.lastEntryID()
        summary.lastEntryID = end
        var cursor = try destination.lastEntryID()
        summary.entriesAlreadyThere = cursor
        if cursor > 0 {
            let theirs = try destination.entries(after: cursor - 1, limit: 1).first
            let ours = try source.entries(after: cursor - 1, limit: 1).first
            guard let theirs, let ours, theirs.id == ours.id, theirs.key == ours.key, theirs.points == ours.points else {
                throw mismatch("entry \(cursor)", source, destination)
            }
        }
        progress(cursor, end)
        while cursor < end {
            let page = try source.entries(after: cursor, limit: pageSize)
            guard let last = page.last else { break }
            try destination.append(copied: page)
            summary.entries += page.count
            cursor = last.id
            progress(cursor, end)
        }
        return summary
    }

    private static func mismatch(_ what: String, _ source: any Ledger, _ destination: any Ledger) -> CarbonError {
        CarbonError(.copyMismatch, file: destination.location, """
            the destination's \(what) is not the source's (\(source.location)): it was written to on its own, so it cannot \
            resume this copy; copy into an empty ledger
            """)
    }
}
