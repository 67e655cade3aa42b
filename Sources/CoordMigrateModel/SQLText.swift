import Foundation

/// SQL text the report and the plan show (the read-only count commands).
package enum SQLText {
    /// A name as SQL writes it: double-quoted, inner quotes doubled.
    package static func quoteIdentifier(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
