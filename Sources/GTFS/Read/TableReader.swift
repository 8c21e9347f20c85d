import ZipArchive
import TransitSupport

extension FeedReader {
    /// Reads one file of the schema given apart from its feed (a `board_alight.txt` of counts
    /// for a published feed, say) and adds it to `feed` as table `fileName`, replacing any table
    /// of that name.
    ///
    /// The file is parsed exactly as ``load(_:options:)`` parses the files of a feed (same
    /// chunked reader, same value checks, same findings with file, line, field and value), and
    /// its identifier columns are linked to the feed's identifiers: an identifier the feed
    /// already knows gets its code, an unknown one a new code at or after
    /// ``Feed/definedCount(_:)`` (so it reads as undeclared, as in a whole feed). With
    /// ``ReadOptions/validate`` the references are checked (`foreign_key_violation`); the
    /// rest of the feed is not validated again.
    ///
    /// - Parameters:
    ///   - path: the file on disk (plain CSV, not a zip).
    ///   - fileName: the schema file it is read as, e.g. `board_alight.txt`; findings name it.
    ///   - feed: the feed the file belongs to.
    /// - Returns: the feed with the table added, and the findings about that file only.
    /// - Throws: ``GTFSError/notFound(path:)`` when `path` does not exist;
    ///   ``GTFSError/fileTooLarge(path:file:size:limit:)`` when it is over ``ReadOptions/maxFileBytes``;
    ///   ``GTFSError/unreadable(path:reason:)`` when it cannot be read or `fileName` is not a
    ///   file of ``GTFSSchema/files``.
    /// - Complexity: O(file size + identifiers of the spaces the file refers to).
    public static func loadTable(_ path: String, as fileName: String, into feed: Feed,
                                 options: ReadOptions = ReadOptions()) throws(GTFSError) -> LoadedFeed {
        guard let schema = GTFSSchema.file(fileName) else {
            throw .unreadable(path: path, reason: "'\(fileName)' is not a file this library reads as a table; name one of "
                + GTFSSchema.files.map(\.name).joined(separator: ", "))
        }
        guard FileSystem.exists(path) else { throw .notFound(path: path) }
        guard !FileSystem.isDirectory(path) else {
            throw .unreadable(path: path, reason: "it is a folder; give the path of the \(fileName) file itself")
        }
        let size = FileSystem.size(of: path) ?? 0
        guard size <= options.maxFileBytes else {
            throw .fileTooLarge(path: path, file: fileName, size: UInt64(size), limit: options.maxFileBytes)
        }
        let job = LoadPipeline.FileJob(name: fileName, schema: schema, size: size,
                                       reader: try ChunkReader(path: path), maxPerCode: options.maxFindingsPerCode,
                                       chunkBytes: options.chunkBytes)
        LoadPipeline.run([job], maxPerCode: options.maxFindingsPerCode, workers: options.workers)
        if let failure = job.failure { throw failure }
        var report = ValidationReport(maxPerCode: options.maxFindingsPerCode)
        guard let parsed = LoadPipeline.result(job) else {
            return LoadedFeed(feed: feed, report: report, subfolder: nil)
        }
        report.merge(parsed.report)
        let linked = Linker.attach(parsed, to: feed)
        if options.validate, let table = linked.table(fileName) {
            FeedValidator.foreignKeys(of: table, in: linked, into: &report)
        }
        return LoadedFeed(feed: linked, report: report, subfolder: nil)
    }
}

extension Linker {
    /// Adds one parsed table to an already linked feed: its identifier columns are mapped onto
    /// the feed's pools (new identifiers appended after the known ones), other columns kept.
    static func attach(_ parsed: ParsedTable, to feed: Feed) -> Feed {
        var out = feed
        var columns: [Column] = []
        columns.reserveCapacity(parsed.columns.count)
        var lookups: [IDSpace: [String: Int32]] = [:]
        for c in parsed.columns {
            let data: ColumnData
            switch c.storage {
            case .strings(let codes, let values):
                guard case .id(let space)? = c.schema?.type else {
                    data = .strings(StringColumn(codes: codes, values: values))
                    break
                }
                var pool = out.pools[space] ?? []
                var lookup = lookups[space] ?? feed.codeMap(space)
                let map = values.map { v -> Int32 in
                    if let code = lookup[v] { return code }
                    let code = Int32(pool.count)
                    pool.append(v)
                    lookup[v] = code
                    return code
                }
                lookups[space] = lookup
                out.pools[space] = pool
                data = .strings(StringColumn(codes: codes.map { $0 >= 0 ? map[Int($0)] : -1 }, values: pool))
            case .integers(let v): data = .integers(v)
            case .smallIntegers(let v): data = .smallIntegers(v)
            case .reals(let v): data = .reals(v)
            case .times(let v): data = .times(v)
            case .dates(let v): data = .dates(v)
            }
            columns.append(Column(name: c.name, schema: c.schema, data: data, unparsed: c.unparsed))
        }
        out.tables[parsed.name] = Table(name: parsed.name, columns: columns, rowCount: parsed.rowCount,
                                        lines: parsed.lines, firstLine: parsed.firstLine)
        out.extraFiles.removeAll { $0.name == parsed.name }
        // The stop-time index holds row numbers of stop_times.txt: a replaced table needs its
        // own, or the old rows would point past the new table's end.
        if parsed.name == "stop_times.txt" {
            out.stopTimeIndex = StopTimeIndex(out.tables[parsed.name], tripCount: out.pools[.trip]?.count ?? 0)
        }
        return out
    }
}
