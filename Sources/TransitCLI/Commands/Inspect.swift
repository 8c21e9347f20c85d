import ArgumentParser
import GTFS

extension GTFSCommand {
    /// `transit gtfs inspect FEED`: what a feed holds.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a feed holds: rows per table, agencies, service dates, route types.",
            discussion: "Loads every table, typed and indexed, as the other commands do."
        )

        @OptionGroup var input: FeedArgument

        @OptionGroup var output: TableOrJSONFormatOption

        func validate() throws {
            if output.format == .csv { throw ValidationError("inspect prints table or json") }
        }

        func run() throws {
            let loaded = try input.load()
            let document = InspectDocument(feed: loaded.feed, path: input.feed, subfolder: loaded.subfolder)
            switch output.format {
            case .json: print(try JSON.encoding(document).render())
            case .table, .csv: print(Self.text(document, tables: loaded.feed.orderedTables), terminator: "")
            }
        }

        /// The text report: agencies, dates and route types, then rows and columns per table
        /// (`tables` gives the file names).
        static func text(_ d: InspectDocument, tables: [Table]) -> String {
            var out = "Feed: \(d.feed)\n"
            for a in d.agencies {
                out += "Agency: \(a.agencyName)" + (a.agencyID.map { " [\($0)]" } ?? "") + " (\(a.agencyTimezone))\n"
            }
            if let range = d.serviceDateRange {
                out += "Service: \(range.start) to \(range.end)\n"
            } else {
                out += "Service: no dates\n"
            }
            if !d.routeTypes.isEmpty {
                out += "Route types: " + d.routeTypes.map { "\($0.routes) \($0.name) (\($0.routeType))" }.joined(separator: ", ") + "\n"
            }
            out += "\n"
            var table = TextTable(["table", "rows", "columns"], numeric: [1, 2])
            for t in tables { table.add([t.name, String(t.rowCount), String(t.columns.count)]) }
            out += table.render()
            if !d.extraFiles.isEmpty {
                out += "\nKept unchanged: " + d.extraFiles.map { "\($0.name) (\($0.bytes) bytes)" }.joined(separator: ", ") + "\n"
            }
            return out
        }
    }
}
