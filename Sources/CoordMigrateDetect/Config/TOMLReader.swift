/// Reads the part of TOML that configuration files declaring agents use: tables
/// (`[agents.claude]`), arrays of tables (`[[agents]]`), `key = value` pairs with
/// strings, numbers, booleans and arrays of those (over several lines too), and
/// dotted keys. Inline tables and dates are kept as their text. What it cannot read
/// it skips: this reads a system's settings to learn what it declares, it does not
/// validate them.
enum TOMLReader {
    /// A table being built, in the order its keys appear.
    private final class Table {
        var pairs: [(key: String, value: Item)] = []

        func child(_ key: String) -> Item? { pairs.first { $0.key == key }?.value }

        func set(_ key: String, _ item: Item) {
            if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = item } else { pairs.append((key, item)) }
        }

        /// The table at `key`, made when missing; the last element of an array of tables.
        func table(_ key: String) -> Table {
            switch child(key) {
            case .table(let table)?: return table
            case .tables(let list)? where !list.isEmpty: return list[list.count - 1]
            default:
                let table = Table()
                set(key, .table(table))
                return table
            }
        }

        var value: ConfigValue {
            .mapping(pairs.map { ($0.key, $0.value.value) })
        }
    }

    private enum Item {
        case value(ConfigValue)
        case table(Table)
        case tables([Table])

        var value: ConfigValue {
            switch self {
            case .value(let value): value
            case .table(let table): table.value
            case .tables(let tables): .list(tables.map(\.value))
            }
        }
    }

    static func parse(_ text: String) -> ConfigValue {
        let root = Table()
        var current = root
        // An array continued over several lines, and how many of its brackets are still open.
        var pending = ""
        var pendingDepth = 0
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            // No line longer than a value may be (a hostile file is one line too).
            guard raw.utf8.count <= maxValueBytes else {
                pending = ""
                continue
            }
            let piece = stripComment(raw).trimmingBlanks
            let line: String
            if pending.isEmpty {
                line = piece
            } else {
                // Appended, with the open brackets counted only in the new piece: linear, and an
                // array that never closes is given up at the size limit.
                pending.append(" ")
                pending.append(piece)
                pendingDepth += depth(of: piece)
                guard pending.utf8.count <= maxValueBytes else {
                    pending = ""
                    continue
                }
                if pendingDepth > 0 { continue }
                line = pending
                pending = ""
            }
            guard !line.isEmpty else { continue }
            if line.hasPrefix("[[") {
                let path = keyPath(line.dropFirst(2).prefix { $0 != "]" })
                guard let last = path.last else { continue }
                let parent = path.dropLast().reduce(root) { $0.table($1) }
                var list: [Table] = []
                if case .tables(let existing)? = parent.child(last) { list = existing }
                let table = Table()
                list.append(table)
                parent.set(last, .tables(list))
                current = table
            } else if line.hasPrefix("[") {
                let path = keyPath(line.dropFirst().prefix { $0 != "]" })
                current = path.reduce(root) { $0.table($1) }
            } else if let equals = line.firstIndex(of: "=") {
                let valueText = line[line.index(after: equals)...].trimmingBlanks
                // An array continued on the next lines: read on until its brackets close.
                if valueText.hasPrefix("[") {
                    let open = depth(of: valueText)
                    if open > 0 {
                        pending = line
                        pendingDepth = open
                        continue
                    }
                }
                let path = keyPath(line[..<equals])
                guard let last = path.last else { continue }
                path.dropLast().reduce(current) { $0.table($1) }.set(last, .value(value(valueText, depth: 0)))
            }
        }
        return root.value
    }

    /// The line without a `#` comment outside strings.
    private static func stripComment(_ line: Substring) -> Substring {
        var quote: Character?
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == "\\", open == "\"" { index = line.index(after: index) } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return line[..<index]
            }
            if index < line.endIndex { index = line.index(after: index) }
        }
        return line
    }

    private static func depth(of text: String) -> Int {
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" {
                depth += 1
            } else if character == "]" {
                depth -= 1
            }
        }
        return depth
    }

    /// `a.b."c d"` → ["a", "b", "c d"].
    private static func keyPath(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingBlanks)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingBlanks)
        // Tables nest as deep as their dotted names: a name of thousands of parts is not read.
        return parts.count <= maxDepth && parts.allSatisfy({ !$0.isEmpty }) ? parts : []
    }

    /// The longest value read, and how deep arrays may nest: a hostile file can do neither
    /// to the reader's time or stack.
    static let maxValueBytes = 64 * 1024
    static let maxDepth = 32

    private static func value(_ text: String, depth nesting: Int) -> ConfigValue {
        if text.hasPrefix("\"") || text.hasPrefix("'") {
            let quote = text.first!
            let body = text.dropFirst().prefix { $0 != quote }
            return .scalar(String(body))
        }
        if text.hasPrefix("["), nesting < maxDepth {
            var items: [ConfigValue] = []
            var current = ""
            var quote: Character?
            var depth = 0
            for character in text.dropFirst() {
                if let open = quote {
                    current.append(character)
                    if character == open { quote = nil }
                    continue
                }
                switch character {
                case "\"", "'":
                    quote = character
                    current.append(character)
                case "[", "{":
                    depth += 1
                    current.append(character)
                case "]" where depth == 0, "," where depth == 0:
                    let item = current.trimmingBlanks
                    if !item.isEmpty { items.append(value(item, depth: nesting + 1)) }
                    current = ""
                case "]", "}":
                    depth -= 1
                    current.append(character)
                default:
                    current.append(character)
                }
            }
            return .list(items)
        }
        return .scalar(text)
    }
}

extension StringProtocol {
    fileprivate var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}
