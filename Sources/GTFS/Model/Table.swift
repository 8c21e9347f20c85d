/// Dictionary-encoded strings: each row holds a code into ``values``; `-1` means empty.
///
/// Identifier columns share their ``values`` array with the feed's pool of that ``IDSpace``
/// (copy-on-write: one buffer for all of them).
public struct StringColumn: Sendable {
    /// Per row, an index into ``values``, or -1 for an empty field.
    public var codes: [Int32]
    /// The distinct values.
    public var values: [String]

    /// Creates a column from codes and their values.
    public init(codes: [Int32], values: [String]) {
        self.codes = codes
        self.values = values
    }

    /// The value of `row`, or `nil` when empty.
    /// - Complexity: O(1).
    @inlinable
    public subscript(row: Int) -> String? {
        let c = codes[row]
        return c >= 0 && Int(c) < values.count ? values[Int(c)] : nil
    }
}

extension StringColumn: Equatable {
    /// Equal when every row has the same value, however the values are numbered.
    public static func == (lhs: StringColumn, rhs: StringColumn) -> Bool {
        guard lhs.codes.count == rhs.codes.count else { return false }
        if lhs.codes == rhs.codes && lhs.values == rhs.values { return true }
        for row in 0..<lhs.codes.count where lhs[row] != rhs[row] { return false }
        return true
    }
}

/// The typed values of one column, one entry per row.
public enum ColumnData: Sendable {
    /// Identifiers and text (see ``StringColumn``).
    case strings(StringColumn)
    /// Whole numbers; ``Column/missingInteger`` marks an empty field.
    case integers([Int32])
    /// Whole numbers of a field whose values fit in a byte (enumerations such as
    /// `pickup_type`); ``Column/missingSmallInteger`` marks an empty field. One byte a row.
    case smallIntegers([Int8])
    /// Decimal numbers; NaN marks an empty field.
    case reals([Double])
    /// Seconds since service-day midnight; ``GTFSTime/missing`` (-1) marks an empty field.
    case times([Int32])
    /// Dates as `YYYYMMDD`; -1 marks an empty field.
    case dates([Int32])

    /// The number of rows.
    public var count: Int {
        switch self {
        case .strings(let s): s.codes.count
        case .integers(let v), .times(let v), .dates(let v): v.count
        case .smallIntegers(let v): v.count
        case .reals(let v): v.count
        }
    }
}

extension ColumnData: Equatable {
    public static func == (lhs: ColumnData, rhs: ColumnData) -> Bool {
        switch (lhs, rhs) {
        case let (.strings(a), .strings(b)): a == b
        case let (.integers(a), .integers(b)), let (.times(a), .times(b)), let (.dates(a), .dates(b)): a == b
        case let (.smallIntegers(a), .smallIntegers(b)): a == b
        case let (.reals(a), .reals(b)):
            // NaN (empty) equals NaN here: compare bit patterns after normalising -0.
            a.count == b.count && zip(a, b).allSatisfy { x, y in x == y || (x.isNaN && y.isNaN) }
        default: false
        }
    }
}

/// One column of a table: its header name, its schema (for standard columns) and its values.
public struct Column: Sendable, Equatable {
    /// The marker stored for an empty integer field.
    public static let missingInteger = Int32.min
    /// The marker stored for an empty one-byte integer field.
    public static let missingSmallInteger = Int8.min
    /// The marker stored for an empty time or date field.
    public static let missingTime: Int32 = -1

    /// The header name, trimmed of padding.
    public let name: String
    /// The schema of a standard column; `nil` for a column the reference does not define
    /// (kept as text so a round trip loses nothing).
    public let schema: FieldSchema?
    /// The values.
    public internal(set) var data: ColumnData
    /// The original text of values that could not be parsed as their type (row → text), so the
    /// writer can write them back unchanged.
    public internal(set) var unparsed: [Int32: String]

    /// Creates a column.
    public init(name: String, schema: FieldSchema?, data: ColumnData, unparsed: [Int32: String] = [:]) {
        self.name = name
        self.schema = schema
        self.data = data
        self.unparsed = unparsed
    }

    /// The cell of `row` as text, exactly as the writer writes it.
    public func text(row: Int) -> String {
        if let raw = unparsed[Int32(row)] { return raw }
        switch data {
        case .strings(let s): return s[row] ?? ""
        case .integers(let v): return v[row] == Column.missingInteger ? "" : String(v[row])
        case .smallIntegers(let v): return v[row] == Column.missingSmallInteger ? "" : String(v[row])
        case .reals(let v): return v[row].isNaN ? "" : formatReal(v[row])
        case .times(let v): return GTFSTime.format(v[row])
        case .dates(let v): return v[row] < 0 ? "" : (GTFSDate(yyyymmdd: v[row])?.description ?? String(v[row]))
        }
    }

    public static func == (lhs: Column, rhs: Column) -> Bool {
        lhs.name == rhs.name && lhs.data == rhs.data && lhs.unparsed == rhs.unparsed
    }
}

/// Formats a decimal number in the shortest form that reads back as the same `Double`,
/// without an exponent for ordinary magnitudes.
func formatReal(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 {
        return String(Int64(v))
    }
    return v.description
}

/// One file of a feed as typed columns.
///
/// Rows keep the file's order; ``lines`` gives each row's physical line in the source, for
/// messages. Columns keep the header's order, standard and unknown alike.
public struct Table: Sendable {
    /// The file name, e.g. `stops.txt`.
    public let name: String
    /// The columns in header order.
    public internal(set) var columns: [Column]
    /// The number of data rows.
    public let rowCount: Int
    /// The 1-based source line of each row (the header is line 1), or empty when row `r` is
    /// simply on line ``firstLine`` + r (no blank lines or multi-line values), which saves
    /// 4 bytes a row on large files.
    public let lines: [Int32]
    /// The line of row 0 when ``lines`` is empty; 0 for a table built in memory.
    public let firstLine: Int32

    /// Creates a table.
    public init(name: String, columns: [Column], rowCount: Int, lines: [Int32], firstLine: Int32 = 0) {
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
        self.lines = lines
        self.firstLine = firstLine
    }

    /// The column named `name`.
    public func column(_ name: String) -> Column? {
        columns.first { $0.name == name }
    }

    /// The source line of `row`, or `nil` for a table built in memory.
    public func line(of row: Int) -> Int? {
        if row < lines.count { return Int(lines[row]) }
        return firstLine > 0 && row >= 0 && row < rowCount ? Int(firstLine) + row : nil
    }

    /// String codes of column `name`, or `nil` when the column is absent or not a string column.
    public func strings(_ name: String) -> StringColumn? {
        if case .strings(let s)? = column(name)?.data { return s }
        return nil
    }

    /// Integers of column `name` (``Column/missingInteger`` where empty), or `nil` when absent.
    /// One-byte columns are widened (an O(n) copy); use ``smallIntegers(_:)`` to avoid it.
    public func integers(_ name: String) -> [Int32]? {
        switch column(name)?.data {
        case .integers(let v)?: return v
        case .smallIntegers(let v)?: return v.map { $0 == Column.missingSmallInteger ? Column.missingInteger : Int32($0) }
        default: return nil
        }
    }

    /// One-byte integers of column `name` (``Column/missingSmallInteger`` where empty), or `nil`
    /// when absent or not stored as one byte.
    public func smallIntegers(_ name: String) -> [Int8]? {
        if case .smallIntegers(let v)? = column(name)?.data { return v }
        return nil
    }

    /// Decimal numbers of column `name` (NaN where empty), or `nil` when absent.
    public func reals(_ name: String) -> [Double]? {
        if case .reals(let v)? = column(name)?.data { return v }
        return nil
    }

    /// Times of column `name` in seconds (-1 where empty), or `nil` when absent.
    public func times(_ name: String) -> [Int32]? {
        if case .times(let v)? = column(name)?.data { return v }
        return nil
    }

    /// Dates of column `name` as `YYYYMMDD` (-1 where empty), or `nil` when absent.
    public func dates(_ name: String) -> [Int32]? {
        if case .dates(let v)? = column(name)?.data { return v }
        return nil
    }
}

extension Table: Equatable {
    /// Equal when names, columns and values are equal (source lines are not compared).
    public static func == (lhs: Table, rhs: Table) -> Bool {
        lhs.name == rhs.name && lhs.rowCount == rhs.rowCount && lhs.columns == rhs.columns
    }
}

/// A file of the feed that this library does not parse (fares, pathways, `LICENSE.txt`, a
/// stray `.kml`), kept byte for byte so that writing the feed back loses nothing.
public struct ExtraFile: Sendable, Equatable {
    /// The path inside the feed.
    public let name: String
    /// The content.
    public let bytes: [UInt8]

    /// Creates an extra file.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}
