import TransitSupport

extension LineReader {
    /// Opens the trip log at `path` for reading line by line (TransitSupport's `LineReader`:
    /// 1 MiB chunks, CR/LF and a byte-order mark handled, lines over
    /// ``TripLogReader/maxLineBytes`` cut and flagged).
    /// - Throws: ``CarbonError`` `log_unreadable` when the file cannot be opened.
    static func openTripLog(_ path: String) throws(CarbonError) -> LineReader {
        do {
            return try LineReader(path: path, maxLineBytes: TripLogReader.maxLineBytes)
        } catch {
            throw CarbonError(.logUnreadable, file: path, "cannot open the trip log (\(error.systemMessage)); check the path",
                              underlying: error)
        }
    }
}
