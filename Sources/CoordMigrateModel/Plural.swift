/// "1 file", "2 files".
package func plural(_ count: Int, _ singular: String, _ pluralForm: String? = nil) -> String {
    "\(count) \(count == 1 ? singular : (pluralForm ?? singular + "s"))"
}

/// Whole-number percentages for summaries.
package enum Percent {
    package static func of(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "0%" }
        return "\(part * 100 / whole)%"
    }
}
