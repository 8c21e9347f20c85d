import GTFS

/// Column access with a default for absent columns, so algorithms read flat arrays only.
extension Table {
    /// Identifier or text codes of `name`, -1 for every row when absent.
    func codesOrEmpty(_ name: String) -> [Int32] {
        strings(name)?.codes ?? [Int32](repeating: -1, count: rowCount)
    }
    /// Whole numbers of `name` (``Column/missingInteger`` where empty), all missing when absent.
    func integersOrMissing(_ name: String) -> [Int32] {
        integers(name) ?? [Int32](repeating: Column.missingInteger, count: rowCount)
    }
    /// Times of `name` in seconds (-1 where empty), all -1 when absent.
    func timesOrMissing(_ name: String) -> [Int32] {
        times(name) ?? [Int32](repeating: -1, count: rowCount)
    }
    /// Dates of `name` as `YYYYMMDD` (-1 where empty), all -1 when absent.
    func datesOrMissing(_ name: String) -> [Int32] {
        dates(name) ?? [Int32](repeating: -1, count: rowCount)
    }
    /// The cell of `row` in column `name` as written (the unparsed text for a bad value), or
    /// `""` when the column is absent.
    func text(_ name: String, row: Int) -> String {
        column(name)?.text(row: row) ?? ""
    }
}
