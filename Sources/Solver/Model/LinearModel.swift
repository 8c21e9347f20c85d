/// A linear program or mixed-integer linear program: variables with bounds, costs and an
/// optional integrality requirement, linear rows with bounds, and one objective to minimise
/// or maximise.
///
/// ```
/// optimise  objectiveConstant + Σ_j cost_j · x_j
/// subject to  row.lower ≤ Σ_k row.coefficients[k] · x[row.columns[k]] ≤ row.upper   (every row)
///             variable.lower ≤ x_j ≤ variable.upper,  x_j whole when isInteger
/// ```
///
/// The model is a plain value: build it with ``addVariable(_:lower:upper:cost:isInteger:)``
/// and ``addRow(_:columns:coefficients:lower:upper:)``, check it with ``validate()``, solve it
/// with ``GLPK/solve(_:options:)``, write it with ``GLPK/write(_:to:format:)``. Infinite bounds
/// (`-.infinity`, `.infinity`) mean "no bound". Units are the caller's: the solver only sees
/// numbers.
public struct LinearModel: Sendable, Hashable {
    /// Whether the objective is minimised or maximised.
    public enum Sense: String, Sendable, Hashable, CaseIterable {
        /// Find the smallest objective value.
        case minimize
        /// Find the largest objective value.
        case maximize
    }

    /// One variable (a column of the constraint matrix).
    public struct Variable: Sendable, Hashable {
        /// The name written to LP and MPS files: 1 to 255 ASCII characters, letters, digits and
        /// ``LinearModel/nameCharacters``, not starting with a digit or a period.
        public var name: String
        /// The lower bound; `-.infinity` for none.
        public var lower: Double
        /// The upper bound; `.infinity` for none.
        public var upper: Double
        /// The objective coefficient (objective units per unit of the variable).
        public var cost: Double
        /// Whether the variable must take a whole value. Its finite bounds must then be whole
        /// numbers too.
        public var isInteger: Bool

        /// Creates a variable.
        public init(name: String, lower: Double = 0, upper: Double = .infinity, cost: Double = 0,
                    isInteger: Bool = false) {
            self.name = name
            self.lower = lower
            self.upper = upper
            self.cost = cost
            self.isInteger = isInteger
        }
    }

    /// One linear constraint `lower ≤ Σ coefficients[k] · x[columns[k]] ≤ upper`.
    public struct Row: Sendable, Hashable {
        /// The name written to LP and MPS files (the same rules as ``Variable/name``).
        public var name: String
        /// The 0-based indices of the variables with a nonzero coefficient, each at most once.
        public var columns: [Int]
        /// The coefficients, one per entry of ``columns``.
        public var coefficients: [Double]
        /// The lower bound of the row's activity; `-.infinity` for none.
        public var lower: Double
        /// The upper bound of the row's activity; `.infinity` for none.
        public var upper: Double

        /// Creates a row.
        public init(name: String, columns: [Int], coefficients: [Double], lower: Double = -.infinity,
                    upper: Double = .infinity) {
            self.name = name
            self.columns = columns
            self.coefficients = coefficients
            self.lower = lower
            self.upper = upper
        }

        /// The row's activity `Σ coefficients[k] · x[columns[k]]` at `x` (indices outside `x`
        /// count as 0).
        public func activity(_ x: [Double]) -> Double {
            var sum = 0.0
            for (k, j) in columns.enumerated() where j >= 0 && j < x.count && k < coefficients.count {
                sum += coefficients[k] * x[j]
            }
            return sum
        }
    }

    /// The characters a name may hold besides ASCII letters and digits: the CPLEX LP format's
    /// set, which GLPK's LP writer keeps (it replaces any other name by a made-up one).
    public static let nameCharacters = "!\"#$%&()/,.;?@_`'{}|~"

    /// The model's name (written as the problem name; the same rules as variable names).
    public var name: String
    /// The objective's name (the objective row of LP and MPS files; the same rules as row
    /// names, and different from every row's name).
    public var objectiveName: String
    /// Minimise or maximise.
    public var sense: Sense
    /// A constant added to the objective (objective units).
    public var objectiveConstant: Double
    /// The variables, in column order.
    public var variables: [Variable]
    /// The rows, in order.
    public var rows: [Row]

    /// Creates an empty model.
    public init(name: String = "model", sense: Sense = .minimize, objectiveName: String = "cost",
                objectiveConstant: Double = 0) {
        self.name = name
        self.objectiveName = objectiveName
        self.sense = sense
        self.objectiveConstant = objectiveConstant
        self.variables = []
        self.rows = []
    }

    /// Adds a variable and returns its 0-based index.
    /// - Parameters:
    ///   - name: A unique name (see ``Variable/name``).
    ///   - lower: The lower bound, `-.infinity` for none. Default 0.
    ///   - upper: The upper bound, `.infinity` for none.
    ///   - cost: The objective coefficient.
    ///   - isInteger: Whether the value must be whole.
    @discardableResult
    public mutating func addVariable(_ name: String, lower: Double = 0, upper: Double = .infinity,
                                     cost: Double = 0, isInteger: Bool = false) -> Int {
        variables.append(Variable(name: name, lower: lower, upper: upper, cost: cost, isInteger: isInteger))
        return variables.count - 1
    }

    /// Adds a 0-1 variable (integer, bounds 0 and 1) and returns its 0-based index.
    @discardableResult
    public mutating func addBinary(_ name: String, cost: Double = 0) -> Int {
        addVariable(name, lower: 0, upper: 1, cost: cost, isInteger: true)
    }

    /// Adds the row `lower ≤ Σ coefficients[k] · x[columns[k]] ≤ upper` and returns its
    /// 0-based index.
    /// - Parameters:
    ///   - name: A unique name (see ``Row/name``).
    ///   - columns: 0-based variable indices, each at most once.
    ///   - coefficients: One coefficient per column.
    ///   - lower: The lower bound, `-.infinity` for none (the default).
    ///   - upper: The upper bound, `.infinity` for none (the default).
    @discardableResult
    public mutating func addRow(_ name: String, columns: [Int], coefficients: [Double],
                                lower: Double = -.infinity, upper: Double = .infinity) -> Int {
        rows.append(Row(name: name, columns: columns, coefficients: coefficients, lower: lower, upper: upper))
        return rows.count - 1
    }

    /// The number of matrix entries (the sum of the rows' lengths).
    /// - Complexity: O(rows).
    public var nonzeroCount: Int {
        rows.reduce(0) { $0 + $1.columns.count }
    }

    /// The objective value at `x`: ``objectiveConstant`` + Σ cost · x. Values missing from `x`
    /// count as 0.
    /// - Complexity: O(variables).
    public func objectiveValue(_ x: [Double]) -> Double {
        var sum = objectiveConstant
        for (j, v) in variables.enumerated() where j < x.count {
            sum += v.cost * x[j]
        }
        return sum
    }

    /// Everything wrong with `x` as a solution of this model, checked independently of any
    /// solver: missing or extra values, non-finite values, values outside a variable's bounds,
    /// integer variables off a whole number, row activities outside the row's bounds.
    ///
    /// A value passes when it is off by at most `tolerance × max(1, |limit|)`, `limit` being the
    /// bound it is compared with (for integrality, the nearest whole number).
    /// - Returns: One sentence per defect naming the variable or row (name and index); empty
    ///   when `x` is feasible.
    /// - Complexity: O(variables + nonzeros).
    public func violations(of x: [Double], tolerance: Double = 1e-6) -> [String] {
        var found: [String] = []
        if x.count != variables.count {
            found.append("the solution has \(x.count) values for \(variables.count) variables")
            return found
        }
        func slack(_ limit: Double) -> Double { tolerance * max(1, abs(limit)) }
        for (j, v) in variables.enumerated() {
            let value = x[j]
            let label = "variable '\(v.name)' (index \(j))"
            guard value.isFinite else {
                found.append("\(label) = \(value) is not a finite number")
                continue
            }
            if value < v.lower - slack(v.lower) {
                found.append("\(label) = \(value) is below its lower bound \(v.lower)")
            }
            if value > v.upper + slack(v.upper) {
                found.append("\(label) = \(value) is above its upper bound \(v.upper)")
            }
            if v.isInteger {
                let whole = value.rounded()
                if abs(value - whole) > slack(whole) {
                    found.append("\(label) = \(value) is integer but not a whole number")
                }
            }
        }
        for (i, row) in rows.enumerated() {
            let activity = row.activity(x)
            let label = "row '\(row.name)' (index \(i))"
            if !activity.isFinite {
                found.append("\(label): activity \(activity) is not a finite number")
            } else if activity < row.lower - slack(row.lower) {
                found.append("\(label): activity \(activity) is below the lower bound \(row.lower) by \(row.lower - activity)")
            } else if activity > row.upper + slack(row.upper) {
                found.append("\(label): activity \(activity) is above the upper bound \(row.upper) by \(activity - row.upper)")
            }
        }
        return found
    }
}
