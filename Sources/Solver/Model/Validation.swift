/// One defect of a ``LinearModel``: where it is and what is wrong, phrased so a person can fix
/// it.
public struct ModelIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where in the model the defect is.
    public enum Location: Sendable, Hashable {
        /// The model as a whole (its name, its size).
        case model
        /// The objective (its name or constant term).
        case objective
        /// A variable, by 0-based index and name.
        case variable(index: Int, name: String)
        /// A row, by 0-based index and name.
        case row(index: Int, name: String)
        /// One matrix entry: the row (index and name), the entry's position in the row, and the
        /// column index it gives.
        case entry(row: Int, rowName: String, position: Int, column: Int)
    }

    /// Where the defect is.
    public var location: Location
    /// What is wrong and what to do about it.
    public var message: String

    /// Creates an issue.
    public init(_ location: Location, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `variable 'x_3' (index 3): lower bound 5 is above upper bound 2; …`.
    public var description: String {
        switch location {
        case .model: "model: \(message)"
        case .objective: "objective: \(message)"
        case .variable(let index, let name): "variable '\(name)' (index \(index)): \(message)"
        case .row(let index, let name): "row '\(name)' (index \(index)): \(message)"
        case .entry(let row, let rowName, let position, let column):
            "row '\(rowName)' (index \(row)), entry \(position) (column \(column)): \(message)"
        }
    }
}

extension LinearModel {
    /// The most issues ``issues(limit:)`` keeps by default (all are counted).
    public static let defaultIssueLimit = 100

    /// Checks that GLPK can take the model and that LP and MPS files can carry it.
    ///
    /// Checked: every cost, coefficient and the constant term finite; no NaN bound; no lower
    /// bound of `+.infinity` nor upper bound of `-.infinity`; lower ≤ upper; finite bounds of
    /// integer variables whole; row column indices in range and each at most once per row,
    /// with as many coefficients as columns; names valid (see ``Variable/name``) and unique
    /// among variables and among rows, the objective's name different from every row's; at
    /// most `Int32.max - 1` rows, columns and nonzeros.
    /// - Throws: ``SolverError/invalidModel(model:issues:total:)`` listing the first
    ///   ``defaultIssueLimit`` issues.
    /// - Complexity: O(variables + rows + nonzeros), with one hash per name.
    public func validate() throws(SolverError) {
        let (issues, total) = collectIssues(limit: Self.defaultIssueLimit)
        if total > 0 { throw .invalidModel(model: name, issues: issues, total: total) }
    }

    /// Every defect ``validate()`` looks for, the first `limit` of them.
    public func issues(limit: Int = LinearModel.defaultIssueLimit) -> [ModelIssue] {
        collectIssues(limit: limit).issues
    }

    func collectIssues(limit: Int) -> (issues: [ModelIssue], total: Int) {
        var issues: [ModelIssue] = []
        var total = 0
        func add(_ location: ModelIssue.Location, _ message: String) {
            total += 1
            if issues.count < limit { issues.append(ModelIssue(location, message)) }
        }

        let largest = Int(Int32.max) - 1
        if variables.count > largest { add(.model, "\(variables.count) variables; GLPK takes at most \(largest)") }
        if rows.count > largest { add(.model, "\(rows.count) rows; GLPK takes at most \(largest)") }
        let nonzeros = nonzeroCount
        if nonzeros > largest { add(.model, "\(nonzeros) matrix entries; GLPK takes at most \(largest)") }

        if let problem = Self.nameProblem(name) { add(.model, "model name '\(name)' \(problem)") }
        if let problem = Self.nameProblem(objectiveName) {
            add(.objective, "objective name '\(objectiveName)' \(problem)")
        }
        if !objectiveConstant.isFinite {
            add(.objective, "constant term is \(objectiveConstant); give a finite number")
        }

        var variableNames = Set<String>(minimumCapacity: variables.count)
        variables.withUnsafeBufferPointer { variables in
            for j in variables.indices {
                let v = variables[j]
                // Locations are built only when there is something to report.
                func here() -> ModelIssue.Location { .variable(index: j, name: v.name) }
                if let problem = Self.nameProblem(v.name) {
                    add(here(), "the name \(problem)")
                } else if !variableNames.insert(v.name).inserted {
                    let first = variables.firstIndex { $0.name == v.name } ?? j
                    add(here(), "the name is also used by variable \(first); names must be unique")
                }
                if !v.cost.isFinite { add(here(), "cost is \(v.cost); give a finite number") }
                if !Self.boundsAreValid(v.lower, v.upper) { Self.reportBounds(v.lower, v.upper, at: here(), add) }
                if v.isInteger {
                    if v.lower.isFinite && v.lower != v.lower.rounded() {
                        add(here(), "integer variable with lower bound \(v.lower), not a whole number; round it up (\(v.lower.rounded(.up)))")
                    }
                    if v.upper.isFinite && v.upper != v.upper.rounded() {
                        add(here(), "integer variable with upper bound \(v.upper), not a whole number; round it down (\(v.upper.rounded(.down)))")
                    }
                }
            }
        }

        var rowNames = Set<String>(minimumCapacity: rows.count)
        // seen[j] == i + 1 when row i already has column j: a duplicate check without hashing.
        var seen = [Int32](repeating: 0, count: variables.count)
        let n = variables.count
        for i in rows.indices {
            let row = rows[i]
            func here() -> ModelIssue.Location { .row(index: i, name: row.name) }
            if let problem = Self.nameProblem(row.name) {
                add(here(), "the name \(problem)")
            } else if !rowNames.insert(row.name).inserted {
                let first = rows.firstIndex { $0.name == row.name } ?? i
                add(here(), "the name is also used by row \(first); names must be unique")
            } else if row.name == objectiveName {
                add(here(), "the name is the objective's name; rename the row or set objectiveName")
            }
            if !Self.boundsAreValid(row.lower, row.upper) { Self.reportBounds(row.lower, row.upper, at: here(), add) }
            guard row.columns.count == row.coefficients.count else {
                add(here(), "\(row.columns.count) columns but \(row.coefficients.count) coefficients; give one coefficient per column")
                continue
            }
            let stamp = Int32(truncatingIfNeeded: i + 1)
            seen.withUnsafeMutableBufferPointer { seen in
                row.columns.withUnsafeBufferPointer { columns in
                    row.coefficients.withUnsafeBufferPointer { coefficients in
                        for k in 0..<columns.count {
                            let j = columns[k], a = coefficients[k]
                            if j >= 0 && j < n && a.isFinite && seen[j] != stamp {
                                seen[j] = stamp
                                continue
                            }
                            let entry = ModelIssue.Location.entry(row: i, rowName: row.name, position: k, column: j)
                            if j < 0 || j >= n {
                                add(entry, "column index \(j) is out of range; the model has \(n) variables (indices 0..<\(n))")
                                continue
                            }
                            if !a.isFinite {
                                add(entry, "coefficient of '\(variables[j].name)' is \(a); give a finite number")
                            }
                            if seen[j] == stamp {
                                add(entry, "column \(j) ('\(variables[j].name)') appears twice in the row; add the coefficients into one entry")
                            }
                            seen[j] = stamp
                        }
                    }
                }
            }
        }
        return (issues, total)
    }

    @inline(__always)
    private static func boundsAreValid(_ lower: Double, _ upper: Double) -> Bool {
        lower <= upper && lower != .infinity && upper != -.infinity  // false for NaN too
    }

    private static func reportBounds(_ lower: Double, _ upper: Double, at here: ModelIssue.Location,
                                     _ add: (ModelIssue.Location, String) -> Void) {
        if lower.isNaN { add(here, "lower bound is NaN; give a number or -infinity for none") }
        if upper.isNaN { add(here, "upper bound is NaN; give a number or +infinity for none") }
        if lower == .infinity { add(here, "lower bound is +infinity; nothing can satisfy it") }
        if upper == -.infinity { add(here, "upper bound is -infinity; nothing can satisfy it") }
        if lower > upper { add(here, "lower bound \(lower) is above upper bound \(upper); swap or fix the bounds") }
    }

    /// What is wrong with `name` as an LP/MPS name, or `nil` when it is fine.
    static func nameProblem(_ name: String) -> String? {
        let table = nameBytes
        let fine: Bool? = name.utf8.withContiguousStorageIfAvailable { bytes in
            guard let first = bytes.first, bytes.count <= 255,
                  first != UInt8(ascii: "."), !(first >= 0x30 && first <= 0x39) else { return false }
            for byte in bytes where !table[Int(byte)] { return false }
            return true
        }
        if fine == true { return nil }
        // The slow path says what is wrong.
        var count = 0
        var problem: String?
        for byte in name.utf8 {
            if count == 0 && (byte == UInt8(ascii: ".") || (byte >= 0x30 && byte <= 0x39)) {
                problem = "starts with '\(Character(Unicode.Scalar(byte)))'; names must not start with a digit or a period"
            }
            if problem == nil && !table[Int(byte)] {
                let what = byte == 0x20 ? "a space" : byte < 0x20 || byte >= 0x7F
                    ? "the byte 0x\(String(byte, radix: 16))" : "'\(Character(Unicode.Scalar(byte)))'"
                problem = "contains \(what); use ASCII letters, digits and \(nameCharacters)"
            }
            count += 1
        }
        if count == 0 { return "is empty; every row, variable and the model need a name" }
        if count > 255 { return "is \(count) bytes long; LP and MPS files allow at most 255" }
        return problem
    }

    /// Letters, digits and ``nameCharacters``: the bytes GLPK's LP writer keeps in a name.
    private static let nameBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(b)] = true }
        for b in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(b)] = true }
        for b in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(b)] = true }
        for b in nameCharacters.utf8 { table[Int(b)] = true }
        return table
    }()
}
