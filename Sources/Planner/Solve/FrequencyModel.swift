public import Solver

/// The mixed-integer model of a ``FrequencyProblem`` as a ``LinearModel``: one binary per
/// allowed route × period × headway, a choice row per group, a fleet row per period with a
/// limit and a budget row. Names are readable in the written LP/MPS file:
/// `x_<route>_p<period>_h<minutes>m<seconds>`, `one_<route>_p<period>`, `fleet_p<period>`, `budget`.
public struct FrequencyModel: Sendable {
    /// The model.
    public var model: LinearModel
    /// Per variable, its group and option.
    public var variableOption: [(group: Int, option: Int)]
    /// Per group, variable index per kept option (-1 where fixed to zero).
    var variableOfOption: [[Int]]

    /// Builds the model over every option.
    public static func build(_ problem: FrequencyProblem) -> FrequencyModel {
        build(problem, keep: problem.groups.map { Array($0.options.indices) })
    }

    /// Builds the model over the kept options of each group.
    static func build(_ problem: FrequencyProblem, keep: [[Int]]) -> FrequencyModel {
        var model = LinearModel(name: "frequency_plan", sense: .minimize)
        model.objectiveName = "total_cost"
        let routeNames = problem.routes.indices.map { modelName(problem.routes[$0].id, index: $0) }
        var variableOption: [(group: Int, option: Int)] = []
        var variableOfOption: [[Int]] = []
        variableOption.reserveCapacity(keep.reduce(0) { $0 + $1.count })
        var fleetColumns = [[Int]](repeating: [], count: problem.periods.count)
        var fleetCoefficients = [[Double]](repeating: [], count: problem.periods.count)
        var budgetColumns: [Int] = []
        var budgetCoefficients: [Double] = []
        for (gi, g) in problem.groups.enumerated() {
            var map = [Int](repeating: -1, count: g.options.count)
            var columns: [Int] = []
            for k in keep[gi] {
                let o = g.options[k]
                let name = "x_\(routeNames[g.route])_p\(g.period + 1)_h\(o.headway / 60)m\(o.headway % 60)"
                let j = model.addVariable(name, lower: 0, upper: 1, cost: problem.cost(gi, k), isInteger: true)
                map[k] = j
                columns.append(j)
                variableOption.append((gi, k))
                if problem.periods[g.period].fleet != nil {
                    fleetColumns[g.period].append(j)
                    fleetCoefficients[g.period].append(Double(o.vehicles))
                }
                if problem.budget != nil {
                    budgetColumns.append(j)
                    budgetCoefficients.append(o.operatingCost)
                }
            }
            variableOfOption.append(map)
            model.addRow("one_\(routeNames[g.route])_p\(g.period + 1)", columns: columns,
                         coefficients: [Double](repeating: 1, count: columns.count), lower: 1, upper: 1)
        }
        for p in problem.periods.indices {
            guard let fleet = problem.periods[p].fleet else { continue }
            model.addRow("fleet_p\(p + 1)", columns: fleetColumns[p], coefficients: fleetCoefficients[p],
                         lower: -.infinity, upper: Double(fleet))
        }
        if let budget = problem.budget {
            model.addRow("budget", columns: budgetColumns, coefficients: budgetCoefficients,
                         lower: -.infinity, upper: budget)
        }
        return FrequencyModel(model: model, variableOption: variableOption, variableOfOption: variableOfOption)
    }

    /// A name safe for LP and MPS files: letters, digits and `_` from the id, then the index so
    /// names stay unique.
    static func modelName(_ id: String, index: Int) -> String {
        var s = ""
        for u in id.unicodeScalars.prefix(24) {
            if u.isASCII, u.properties.isAlphabetic || ("0"..."9").contains(u) { s.unicodeScalars.append(u) } else { s.append("_") }
        }
        return "\(s)_\(index + 1)"
    }

    /// Variable values (0/1) for a choice of one option per group.
    func values(of choice: [Int]) -> [Double] {
        var x = [Double](repeating: 0, count: model.variables.count)
        for (g, k) in choice.enumerated() where g < variableOfOption.count && k < variableOfOption[g].count {
            let j = variableOfOption[g][k]
            if j >= 0 { x[j] = 1 }
        }
        return x
    }

    /// The option per group a solution picks (the largest value in each group).
    func choice(from values: [Double]) -> [Int] {
        var best = [Int](repeating: 0, count: variableOfOption.count)
        var bestValue = [Double](repeating: -1, count: variableOfOption.count)
        for (j, v) in values.enumerated() where j < variableOption.count {
            let (g, k) = variableOption[j]
            if v > bestValue[g] { bestValue[g] = v; best[g] = k }
        }
        return best
    }
}
