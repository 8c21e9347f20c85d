import ZipArchive
import TransitSupport

/// Options for reading a feed.
public struct ReadOptions: Sendable {
    /// The most findings kept per notice code (all are counted).
    public var maxFindingsPerCode: Int
    /// Run the cross-file checks (references, keys, sequences, times). Off, only what parsing
    /// itself finds is reported.
    public var validate: Bool
    /// The date that "expired" and "not yet active" checks compare with; `nil` skips them.
    public var today: GTFSDate?
    /// The ISO 3166-1 alpha-2 country (e.g. `LT`, `US`) whose numbering plan phone numbers
    /// are checked against (`invalid_phone_number`); `nil` leaves phone numbers unchecked, as
    /// the canonical validator does without a country.
    public var countryCode: String?
    /// The largest file (uncompressed) the reader accepts, in bytes; a larger one, or a zip entry
    /// declaring more, is refused with ``GTFSError/fileTooLarge(path:file:size:limit:)`` before
    /// anything of it is read or inflated (a zip-bomb guard). See <doc:Limits>.
    public var maxFileBytes: Int

    /// The default ``maxFileBytes``: 2 GiB − 1 byte (`Int32.max`), the most a file can hold
    /// with every line numbered by a 32-bit line number, and 67 times the largest file of the
    /// real feeds this package is tested on (a 31.8 MB `stop_times.txt`).
    public static let defaultMaxFileBytes = Int(Int32.max)

    /// How many threads reading and validation may use; `nil` (the default) uses every core.
    /// With 1, everything runs on the calling thread and no thread is started: for callers that
    /// load many small feeds one after another (a fuzzer, a server handling uploads).
    public var threads: Int?

    /// The size of the pieces each typed file is read and parsed in, in bytes; 0 or less counts
    /// as 1. Each piece is cut after its last complete row (outside quotes), so a row longer than
    /// this makes one longer piece. The feed, the findings and their counts do not depend on it,
    /// only memory and parallelism do: pieces are parsed on any core and merged in order.
    ///
    /// What can change is the order in which findings of different rows were found (a piece's
    /// rows are checked together), and so which ones are kept of a code found more than
    /// ``maxFindingsPerCode`` times. The counts never change, and below that limit neither does
    /// ``ValidationReport/sortedByLocation``. The default, ``defaultChunkBytes``, suits every
    /// feed; small values exist to test and fuzz the cutting and merging with small inputs. See
    /// <doc:Limits>.
    public var chunkBytes: Int = ReadOptions.defaultChunkBytes

    /// The default ``chunkBytes``: 512 KiB.
    public static let defaultChunkBytes = 1 << 19

    /// The threads the load pipeline runs on: ``threads``, else every core.
    var workers: Int { max(1, threads ?? processorCount()) }

    /// Creates options.
    public init(maxFindingsPerCode: Int = 1000, validate: Bool = true, today: GTFSDate? = nil,
                countryCode: String? = nil, maxFileBytes: Int = ReadOptions.defaultMaxFileBytes) {
        self.maxFindingsPerCode = maxFindingsPerCode
        self.validate = validate
        self.today = today
        self.countryCode = countryCode
        self.maxFileBytes = maxFileBytes
    }
}

/// A feed and everything found wrong with it.
public struct LoadedFeed: Sendable {
    /// The feed.
    public let feed: Feed
    /// Findings from parsing and validation.
    public let report: ValidationReport
    /// The sub-folder of the archive or directory the files sat in, if any.
    public let subfolder: String?
}

/// Reads GTFS feeds from a directory or a `.zip`.
///
/// Each typed file is inflated and parsed in one pass to typed columns, the files spread over
/// the machine's cores, largest first; then identifiers are linked across files and the
/// cross-file rules run. Reading fails (throws) only when the feed cannot be opened at all;
/// every other defect becomes a ``Finding``.
public enum FeedReader {
    /// Reads and validates the feed at `path`.
    /// - Throws: ``GTFSError`` when the path is missing or is neither a folder nor a zip, or
    ///   ``GTFSError/fileTooLarge(path:file:size:limit:)`` when a file is over
    ///   ``ReadOptions/maxFileBytes`` (see <doc:Limits>).
    public static func load(_ path: String, options: ReadOptions = ReadOptions()) throws(GTFSError) -> LoadedFeed {
        let t0 = monotonicSeconds()
        let source = try FeedSource(path: path)
        trace("open \(Int((monotonicSeconds() - t0) * 1000)) ms")
        return try load(source, options: options, start: t0)
    }

    /// Reads and validates a feed whose files are already in memory, exactly as ``load(_:options:)``
    /// reads a folder holding them: the same parsing (in chunks, on every core), linking and rules.
    ///
    /// For feeds that arrive over the network or are generated, and for fuzzing: nothing touches
    /// the disk. The byte arrays are shared, not copied.
    ///
    /// ```swift
    /// let loaded = try FeedReader.load(files: ["agency.txt": agencyBytes, "stops.txt": stopBytes])
    /// ```
    ///
    /// - Parameters:
    ///   - files: Each file's bytes by its name in the feed (`stops.txt`); names such as
    ///     `__MACOSX/…` or `._stops.txt` are set aside as archive junk.
    ///   - label: What errors and findings call the feed (in place of a path).
    ///   - options: What to check.
    /// - Throws: ``GTFSError/fileTooLarge(path:file:size:limit:)`` only, when a file is over
    ///   ``ReadOptions/maxFileBytes``; every defect of the content is a ``Finding``.
    public static func load(files: [String: [UInt8]], label: String = "<memory>",
                            options: ReadOptions = ReadOptions()) throws(GTFSError) -> LoadedFeed {
        try load(FeedSource(files: files, label: label), options: options, start: monotonicSeconds())
    }

    /// Parses, links and validates the files of `source`.
    private static func load(_ source: FeedSource, options: ReadOptions, start t0: Double) throws(GTFSError) -> LoadedFeed {
        var report = ValidationReport(maxPerCode: options.maxFindingsPerCode)
        for name in source.special {
            report.add(Finding(.error, "not_a_regular_file", file: name,
                               message: "\(name) is not a regular file (a FIFO, socket or device, or a link to one); it was not read: replace it with the file itself"))
        }
        if let sub = source.subfolder {
            report.add(Finding(.error, "invalid_input_files_in_subfolder", file: sub + "/",
                               message: "the feed's files sit in the sub-folder '\(sub)/' instead of at the top of the archive; they were read from there, but most consumers will not find them"))
        }

        // Split the files into typed tables to parse and extra files to keep as bytes.
        var jobs: [(file: FeedSource.File, schema: FileSchema)] = []
        var extras: [FeedSource.File] = []
        var seenNames: Set<String> = []
        for f in source.files {
            if let s = GTFSSchema.file(f.name), !seenNames.contains(f.name) {
                jobs.append((f, s))
                seenNames.insert(f.name)
            } else {
                extras.append(f)
            }
        }
        jobs.sort { $0.file.size > $1.file.size }

        var fileJobs: [LoadPipeline.FileJob] = []
        for job in jobs {
            fileJobs.append(LoadPipeline.FileJob(name: job.file.name, schema: job.schema, size: Int(job.file.size),
                                                 reader: try source.reader(job.file, limit: options.maxFileBytes),
                                                 maxPerCode: options.maxFindingsPerCode, chunkBytes: options.chunkBytes))
        }
        LoadPipeline.run(fileJobs, maxPerCode: options.maxFindingsPerCode, workers: options.workers)
        var results: [ParsedTable] = []
        for job in fileJobs {
            if let failure = job.failure { throw failure }
            if let table = LoadPipeline.result(job) { results.append(table) }
        }

        var extraFiles: [ExtraFile] = []
        for f in extras {
            extraFiles.append(ExtraFile(name: f.name, bytes: try source.read(f, limit: options.maxFileBytes)))
            if !f.name.contains("/") && f.name != "locations.geojson" { // GTFS-Flex zones, read by FlexRules
                report.add(Finding(.info, "unknown_file", file: f.name,
                                   message: "\(f.name) is not a file this tool reads as GTFS; it is kept unchanged"))
            }
        }

        var parsed: [String: ParsedTable] = [:]
        for p in results { parsed[p.name] = p }
        // Parse findings in a stable order (schema order), whatever order the cores finished in.
        for s in GTFSSchema.files {
            if let p = parsed[s.name] { report.merge(p.report) }
        }
        let t1 = monotonicSeconds()
        trace("parse all \(Int((t1 - t0) * 1000)) ms")
        let present = Set(parsed.keys)
        // Files with an error in a row or the header: rules that need them whole skip them.
        let unparsable = Set(parsed.values.filter { $0.report.errorCount > 0 }.map(\.name))
        let feed = Linker.link(consume parsed, extraFiles: extraFiles)
        let t2 = monotonicSeconds()
        trace("link \(Int((t2 - t1) * 1000)) ms")
        if options.validate {
            FeedValidator.validate(feed, present: present, unparsable: unparsable, options: options, into: &report)
            trace("validate \(Int((monotonicSeconds() - t2) * 1000)) ms")
        }
        return LoadedFeed(feed: feed, report: report, subfolder: source.subfolder)
    }
}

/// Turns per-file local codes into feed-wide identifier codes.
enum Linker {
    /// Links `parsed` (consumed, so identifier columns are remapped in place, not copied).
    static func link(_ input: consuming [String: ParsedTable], extraFiles: [ExtraFile]) -> Feed {
        var parsed = consume input
        var interners: [IDSpace: ByteInterner] = [:]
        var pools: [IDSpace: [String]] = [:]
        var defined: [IDSpace: Int] = [:]
        var linked: Set<String> = [] // "file\u{0}column" already remapped

        /// Remaps column `k` of `file` from its local codes to the space's feed-wide codes, in place.
        func remap(file: String, columnIndex k: Int, space: IDSpace) {
            guard var t = parsed.removeValue(forKey: file) else { return }
            guard case .strings(var codes, let values) = t.columns[k].storage else { parsed[file] = t; return }
            let interner = interners[space] ?? ByteInterner(capacity: values.count)
            interners[space] = interner
            var pool = pools[space] ?? []
            var localToGlobal = [Int32](repeating: -1, count: values.count)
            for (i, v) in values.enumerated() {
                var value = v
                let code = value.withUTF8 { b -> Int32 in
                    guard let base = b.baseAddress else {
                        var zero: UInt8 = 0
                        return withUnsafePointer(to: &zero) { interner.intern($0, 0) }
                    }
                    return interner.intern(base, b.count)
                }
                if Int(code) == pool.count { pool.append(v) }
                localToGlobal[i] = code
            }
            pools[space] = pool
            t.columns[k].storage = .strings(codes: [], values: [])
            localToGlobal.withUnsafeBufferPointer { m in
                codes.withUnsafeMutableBufferPointer { c in
                    for r in c.indices where c[r] >= 0 { c[r] = m[Int(c[r])] }
                }
            }
            t.columns[k].storage = .strings(codes: codes, values: [])
            parsed[file] = t
            linked.insert(file + "\u{0}" + t.columns[k].name)
        }

        // Defining columns first, so declared identifiers get the low codes.
        for space in IDSpace.allCases {
            for (file, field) in space.definingFiles {
                guard let k = parsed[file]?.columns.firstIndex(where: { $0.name == field }) else { continue }
                remap(file: file, columnIndex: k, space: space)
            }
            defined[space] = pools[space]?.count ?? 0
        }
        // Then every other identifier column.
        for s in GTFSSchema.files {
            // A duplicated header column has no schema; only the first is an identifier.
            let targets: [(Int, IDSpace)] = parsed[s.name]?.columns.enumerated().compactMap { k, c in
                guard case .id(let space)? = c.schema?.type, !linked.contains(s.name + "\u{0}" + c.name) else { return nil }
                return (k, space)
            } ?? []
            for (k, space) in targets { remap(file: s.name, columnIndex: k, space: space) }
        }

        var tables: [String: Table] = [:]
        for (name, t) in parsed {
            var columns: [Column] = []
            columns.reserveCapacity(t.columns.count)
            for c in t.columns {
                let data: ColumnData
                switch c.storage {
                case .strings(let codes, let values):
                    if case .id(let space)? = c.schema?.type, linked.contains(name + "\u{0}" + c.name) {
                        data = .strings(StringColumn(codes: codes, values: pools[space] ?? []))
                    } else {
                        data = .strings(StringColumn(codes: codes, values: values))
                    }
                case .integers(let v): data = .integers(v)
                case .smallIntegers(let v): data = .smallIntegers(v)
                case .reals(let v): data = .reals(v)
                case .times(let v): data = .times(v)
                case .dates(let v): data = .dates(v)
                }
                columns.append(Column(name: c.name, schema: c.schema, data: data, unparsed: c.unparsed))
            }
            tables[name] = Table(name: name, columns: columns, rowCount: t.rowCount, lines: t.lines, firstLine: t.firstLine)
        }
        return Feed(tables: tables, extraFiles: extraFiles, pools: pools, defined: defined)
    }
}
