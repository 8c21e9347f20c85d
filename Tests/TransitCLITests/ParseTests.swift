import ArgumentParser
import GTFS
import TransitNetwork
import Testing
@testable import TransitCLI

/// Commands parsed in-process, as argument-parser's own tests do: the parsed values, the
/// defaults and the validation errors, without starting the binary.
@Suite("transit, parsed in-process")
struct ParseTests {
    /// Parses `arguments` and casts the command to `T`.
    func parse<T: ParsableCommand>(_ arguments: [String], as type: T.Type, sourceLocation: SourceLocation = #_sourceLocation) throws -> T {
        let command = try Transit.parseAsRoot(arguments)
        return try #require(command as? T, "parsed as \(Swift.type(of: command))", sourceLocation: sourceLocation)
    }

    /// The message a parse of `arguments` fails with, or `nil` when it succeeds.
    func failure(_ arguments: [String]) -> String? {
        do {
            _ = try Transit.parseAsRoot(arguments)
            return nil
        } catch {
            return Transit.message(for: error)
        }
    }

    @Test("gtfs inspect and validate: the feed argument, --format and its default")
    func gtfsCommands() throws {
        let inspect = try parse(["gtfs", "inspect", "feed.zip", "--format", "json"], as: GTFSCommand.Inspect.self)
        #expect(inspect.input.feed == "feed.zip")
        #expect(inspect.output.format == .json)
        #expect(try parse(["gtfs", "inspect", "feed.zip"], as: GTFSCommand.Inspect.self).output.format == .table)
        #expect(failure(["gtfs", "inspect", "feed.zip", "--format", "csv"])?.contains("inspect prints table or json") == true)
        let validate = try parse(["gtfs", "validate", "f", "--format", "csv", "--max-per-code", "5", "--no-info"], as: GTFSCommand.Validate.self)
        #expect(validate.input.feed == "f" && validate.output.format == .csv && validate.maxPerCode == 5 && validate.noInfo)
        #expect(failure(["gtfs", "validate", "f", "--format", "xml"])?.contains("format") == true)
        #expect(failure(["gtfs", "inspect"])?.contains("<feed>") == true)
        let convert = try parse(["gtfs", "convert", "in", "out.zip"], as: GTFSCommand.Convert.self)
        #expect(convert.input.feed == "in" && convert.out == "out.zip")
    }

    @Test("network summary, path and export: positional order, periods, defaults and checks")
    func networkCommands() throws {
        let summary = try parse(["network", "summary", "f", "--date", "20260310"], as: NetworkSummary.self)
        #expect(summary.input.feed == "f" && summary.output.format == .table)
        #expect(summary.periodOptions.periods == NetworkDefaults.periods)
        #expect(try summary.periodOptions.parsed().count == 6)
        #expect(summary.rules.layoverShare == 0.10 && summary.rules.minLayoverMinutes == 5 && summary.rules.inferDirections)
        #expect(failure(["network", "summary", "f", "--date", "20260310", "--periods", "07:00-09:00,08:00-10:00"])?.contains("overlap") == true)
        #expect(failure(["network", "summary", "f", "--date", "2026-03-10"])?.contains("--date") == true)
        #expect(failure(["network", "summary", "f", "--date", "20260310", "--layover-share", "11"])?.contains("--layover-share") == true)

        let path = try parse(["network", "path", "f", "A", "B", "--statistic", "median", "--walk-radius", "0"], as: NetworkPath.self)
        #expect(path.input.feed == "f" && path.fromStop == "A" && path.toStop == "B")
        #expect(path.statistic == "median" && path.walkRadius == 0 && path.output.format == .table)
        #expect(failure(["network", "path", "f", "A", "B", "--statistic", "mean"])?.contains("--statistic") == true)
        #expect(failure(["network", "path", "f", "A", "B", "--format", "csv"])?.contains("path prints table or json") == true)

        let export = try parse(["network", "export", "f", "--geojson", "out.geojson"], as: NetworkExport.self)
        #expect(export.input.feed == "f" && export.geojson == "out.geojson")
    }

    @Test("carbon commands: --ledger, --policy, --format and their checks")
    func carbonCommands() throws {
        let credit = try parse(["carbon", "credit", "log.csv", "--ledger", "l.db", "--policy", "p.json", "--format", "json"], as: CarbonCredit.self)
        #expect(credit.log == "log.csv" && credit.ledgerOption.ledger == "l.db" && credit.policyOption.policy == "p.json")
        #expect(credit.output.format == .json && credit.batchSize == 20_000)
        #expect(failure(["carbon", "credit", "log.csv", "--ledger", "l.db", "--format", "csv"])?.contains("--format must be table or json") == true)
        #expect(failure(["carbon", "credit", "log.csv"])?.contains("--ledger") == true)

        let balance = try parse(["carbon", "balance", "R1", "--ledger", "l.db"], as: CarbonBalance.self)
        #expect(balance.rider == "R1" && balance.ledgerOption.ledger == "l.db" && balance.output.format == .table)
        #expect(try parse(["carbon", "statement", "R1", "--ledger", "l.db", "--format", "csv"], as: CarbonStatement.self).output.format == .csv)
        #expect(try parse(["carbon", "export", "--ledger", "l.db"], as: CarbonExport.self).format == .csv)
        #expect(failure(["carbon", "export", "--ledger", "l.db", "--format", "table"])?.contains("--format must be csv or json") == true)

        let redeem = try parse(["carbon", "redeem", "R1", "5", "--reference", "v1", "--ledger", "l.db"], as: CarbonRedeem.self)
        #expect(redeem.points == 5 && redeem.reference == "v1" && redeem.ledgerOption.ledger == "l.db")
        #expect(failure(["carbon", "redeem", "R1", "0", "--reference", "v1", "--ledger", "l.db"])?.contains("POINTS must be > 0") == true)

        let expire = try parse(["carbon", "expire", "--ledger", "l.db", "--as-of", "2027-06-01"], as: CarbonExpire.self)
        #expect(try expire.day().iso8601 == "2027-06-01" && expire.policyOption.policy == nil && expire.output.format == .table)
        #expect(failure(["carbon", "expire", "--ledger", "l.db", "--as-of", "2026-02-30"])?.contains("--as-of") == true)

        let factors = try parse(["carbon", "factors", "--format", "csv"], as: CarbonFactors.self)
        #expect(factors.output.format == .csv && factors.policyOption.policy == nil)
        #expect(failure(["carbon", "factors", "--feed", "f"])?.contains("--feed is used with --occupancy-from-ridership") == true)
        let generate = try parse(["carbon", "generate-log", "f", "--output", "o.csv"], as: CarbonGenerateLog.self)
        #expect(generate.input.feed == "f" && generate.count == 1000 && generate.logFormat == "csv")
    }
}
