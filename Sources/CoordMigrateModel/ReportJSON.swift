public import Foundation

/// Writes an `Encodable` value as the published JSON layout — the bytes
/// ``MigrationReport/jsonEncoder()`` writes: keys converted to snake case and sorted
/// byte by byte, two-space indentation, `" : "` between a key and its value, slashes
/// unescaped.
///
/// `JSONEncoder` asks the runtime, for every value, whether its type is a date, a URL, data,
/// a decimal or a string-keyed dictionary; each first question about a type scans every
/// protocol conformance in the program, and that was a fifth of the instructions of a run on
/// the bundled sample. This encoder asks nothing of the runtime. It therefore treats no type
/// specially: a `Date`, `URL`, `Data` or `Decimal` would be written as its own `encode(to:)`
/// writes it, and a dictionary's keys would be converted like property names. The report
/// model holds none of them; the tests compare this writer with `JSONEncoder` on every sample.
package enum ReportJSON {
    package static func data(_ value: some Encodable) throws -> Data {
        let root = Node()
        try value.encode(to: TreeEncoder(node: root, path: [], keys: KeyCache()))
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        try write(root, into: &out, indent: 0)
        return Data(out)
    }

    /// One value being built; containers fill it in as they are asked for.
    final class Node {
        enum Value {
            case unset, null, bool(Bool), number(String), string(String)
            case array([Node]), object([String: Node])
        }

        var value: Value = .unset
    }

    /// Converted keys, by the property name they come from: each is converted once.
    final class KeyCache {
        var converted: [String: String] = [:]

        func snakeCase(_ key: String) -> String {
            if let known = converted[key] { return known }
            let result = ReportJSON.snakeCase(key)
            converted[key] = result
            return result
        }
    }

    struct Unencodable: Error, CustomStringConvertible {
        var description: String
    }

    /// `someKey` → `some_key`, `URLPath` → `u_rl_path`, `aB_c` → `a_b__c`: the word breaks
    /// `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` makes — before each capital that a
    /// lower-case letter follows, and around a run of capitals — each word lower-cased.
    static func snakeCase(_ key: String) -> String {
        let scalars = Array(key.unicodeScalars)
        guard !scalars.isEmpty else { return key }
        func isUpper(_ scalar: Unicode.Scalar) -> Bool {
            let category = scalar.properties.generalCategory
            return category == .uppercaseLetter || category == .titlecaseLetter
        }
        func isLower(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.generalCategory == .lowercaseLetter }
        var words: [Range<Int>] = []
        var wordStart = 0
        var searchStart = 1
        let end = scalars.count
        while let upper = (searchStart..<end).first(where: { isUpper(scalars[$0]) }) {
            words.append(wordStart..<upper)
            guard let lower = (upper..<end).first(where: { isLower(scalars[$0]) }) else {
                wordStart = upper
                searchStart = end
                break
            }
            if lower == upper + 1 {
                // A capital and then lower case: the word starts at the capital.
                wordStart = upper
            } else {
                // A run of capitals is a word of its own, up to the capital before the lower case.
                words.append(upper..<(lower - 1))
                wordStart = lower - 1
            }
            searchStart = lower + 1
        }
        words.append(wordStart..<end)
        return words.map { range in
            var word = String.UnicodeScalarView()
            word.append(contentsOf: scalars[range])
            return String(word).lowercased()
        }.joined(separator: "_")
    }

    // MARK: Writing

    private static func write(_ node: Node, into out: inout [UInt8], indent: Int) throws {
        switch node.value {
        case .unset:
            // A value that wrote nothing: `JSONEncoder` writes an empty object for it.
            out += Array("{\n\n".utf8)
            pad(&out, indent)
            out.append(UInt8(ascii: "}"))
        case .null: out += Array("null".utf8)
        case let .bool(value): out += Array((value ? "true" : "false").utf8)
        case let .number(text): out += Array(text.utf8)
        case let .string(text): string(text, into: &out)
        case let .array(items):
            out += Array("[\n".utf8)
            if items.isEmpty { out.append(0x0A) }
            for (index, item) in items.enumerated() {
                pad(&out, indent + 2)
                try write(item, into: &out, indent: indent + 2)
                out += index == items.count - 1 ? [0x0A] : [UInt8(ascii: ","), 0x0A]
            }
            pad(&out, indent)
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out += Array("{\n".utf8)
            if members.isEmpty { out.append(0x0A) }
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (index, key) in keys.enumerated() {
                pad(&out, indent + 2)
                string(key, into: &out)
                out += Array(" : ".utf8)
                try write(members[key]!, into: &out, indent: indent + 2)
                out += index == keys.count - 1 ? [0x0A] : [UInt8(ascii: ","), 0x0A]
            }
            pad(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func pad(_ out: inout [UInt8], _ count: Int) {
        out += repeatElement(0x20, count: count)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as it is.
    private static func string(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0A: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0D: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0x08: out += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case 0x0C: out += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case 0..<0x20: out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A floating-point number as `JSONEncoder` writes it: its shortest description, without a
    /// trailing `.0`. Infinity and NaN have no JSON form.
    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, path: [any CodingKey]) throws -> String {
        guard value.isFinite else {
            throw Unencodable(description: "\(value) at \(path.map(\.stringValue).joined(separator: ".")) has no JSON form")
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }
}

// MARK: The encoder

private struct TreeEncoder: Encoder {
    let node: ReportJSON.Node
    let codingPath: [any CodingKey]
    let keys: ReportJSON.KeyCache
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(node: ReportJSON.Node, path: [any CodingKey], keys: ReportJSON.KeyCache) {
        self.node = node
        codingPath = path
        self.keys = keys
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.value {} else { node.value = .object([:]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath, keys: keys))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.value {} else { node.value = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath, keys: keys)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath, keys: keys)
    }
}

/// Turns each primitive into the node value it is written as.
private protocol PrimitiveWriter {
    var codingPath: [any CodingKey] { get }
    var keys: ReportJSON.KeyCache { get }
}

extension PrimitiveWriter {
    func value(_ value: Bool) -> ReportJSON.Node.Value { .bool(value) }
    func value(_ value: String) -> ReportJSON.Node.Value { .string(value) }
    func value(_ value: some FixedWidthInteger) -> ReportJSON.Node.Value { .number(String(value)) }
    func value(_ value: Double) throws -> ReportJSON.Node.Value { .number(try ReportJSON.number(value, path: codingPath)) }
    func value(_ value: Float) throws -> ReportJSON.Node.Value { .number(try ReportJSON.number(value, path: codingPath)) }

    func encoded(_ value: some Encodable, at path: [any CodingKey]) throws -> ReportJSON.Node {
        let node = ReportJSON.Node()
        try value.encode(to: TreeEncoder(node: node, path: path, keys: keys))
        return node
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol, PrimitiveWriter {
    let node: ReportJSON.Node
    let codingPath: [any CodingKey]
    let keys: ReportJSON.KeyCache

    private func set(_ value: ReportJSON.Node.Value, _ key: Key) {
        let child = ReportJSON.Node()
        child.value = value
        set(child, key)
    }

    private func set(_ child: ReportJSON.Node, _ key: Key) {
        guard case var .object(members) = node.value else { return }
        node.value = .unset
        members[keys.snakeCase(key.stringValue)] = child
        node.value = .object(members)
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { set(try self.value(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { set(try self.value(value), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(self.value(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(self.value(value), key) }

    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        set(try encoded(value, at: codingPath + [key]), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = ReportJSON.Node()
        set(child, key)
        return TreeEncoder(node: child, path: codingPath + [key], keys: keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = ReportJSON.Node()
        set(child, key)
        return TreeEncoder(node: child, path: codingPath + [key], keys: keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue, key: key) }

    private func superEncoder(named name: String, key: Key? = nil) -> any Encoder {
        let child = ReportJSON.Node()
        guard case var .object(members) = node.value else { return TreeEncoder(node: child, path: codingPath, keys: keys) }
        members[key == nil ? name : keys.snakeCase(name)] = child
        node.value = .object(members)
        return TreeEncoder(node: child, path: codingPath, keys: keys)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer, PrimitiveWriter {
    let node: ReportJSON.Node
    let codingPath: [any CodingKey]
    let keys: ReportJSON.KeyCache

    var count: Int {
        if case let .array(items) = node.value { return items.count }
        return 0
    }

    private struct Index: CodingKey {
        var intValue: Int?
        var stringValue: String { "\(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }

    private func append(_ value: ReportJSON.Node.Value) {
        let child = ReportJSON.Node()
        child.value = value
        append(child)
    }

    private func append(_ child: ReportJSON.Node) {
        guard case var .array(items) = node.value else { return }
        node.value = .unset
        items.append(child)
        node.value = .array(items)
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(self.value(value)) }
    mutating func encode(_ value: String) throws { append(self.value(value)) }
    mutating func encode(_ value: Double) throws { append(try self.value(value)) }
    mutating func encode(_ value: Float) throws { append(try self.value(value)) }
    mutating func encode(_ value: Int) throws { append(self.value(value)) }
    mutating func encode(_ value: Int8) throws { append(self.value(value)) }
    mutating func encode(_ value: Int16) throws { append(self.value(value)) }
    mutating func encode(_ value: Int32) throws { append(self.value(value)) }
    mutating func encode(_ value: Int64) throws { append(self.value(value)) }
    mutating func encode(_ value: UInt) throws { append(self.value(value)) }
    mutating func encode(_ value: UInt8) throws { append(self.value(value)) }
    mutating func encode(_ value: UInt16) throws { append(self.value(value)) }
    mutating func encode(_ value: UInt32) throws { append(self.value(value)) }
    mutating func encode(_ value: UInt64) throws { append(self.value(value)) }

    mutating func encode(_ value: some Encodable) throws {
        append(try encoded(value, at: codingPath + [Index(intValue: count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = ReportJSON.Node()
        let path = codingPath + [Index(intValue: count)]
        append(child)
        return TreeEncoder(node: child, path: path, keys: keys).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = ReportJSON.Node()
        let path = codingPath + [Index(intValue: count)]
        append(child)
        return TreeEncoder(node: child, path: path, keys: keys).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = ReportJSON.Node()
        append(child)
        return TreeEncoder(node: child, path: codingPath, keys: keys)
    }
}

private struct SingleContainer: SingleValueEncodingContainer, PrimitiveWriter {
    let node: ReportJSON.Node
    let codingPath: [any CodingKey]
    let keys: ReportJSON.KeyCache

    mutating func encodeNil() throws { node.value = .null }
    mutating func encode(_ value: Bool) throws { node.value = self.value(value) }
    mutating func encode(_ value: String) throws { node.value = self.value(value) }
    mutating func encode(_ value: Double) throws { node.value = try self.value(value) }
    mutating func encode(_ value: Float) throws { node.value = try self.value(value) }
    mutating func encode(_ value: Int) throws { node.value = self.value(value) }
    mutating func encode(_ value: Int8) throws { node.value = self.value(value) }
    mutating func encode(_ value: Int16) throws { node.value = self.value(value) }
    mutating func encode(_ value: Int32) throws { node.value = self.value(value) }
    mutating func encode(_ value: Int64) throws { node.value = self.value(value) }
    mutating func encode(_ value: UInt) throws { node.value = self.value(value) }
    mutating func encode(_ value: UInt8) throws { node.value = self.value(value) }
    mutating func encode(_ value: UInt16) throws { node.value = self.value(value) }
    mutating func encode(_ value: UInt32) throws { node.value = self.value(value) }
    mutating func encode(_ value: UInt64) throws { node.value = self.value(value) }

    mutating func encode(_ value: some Encodable) throws {
        try value.encode(to: TreeEncoder(node: node, path: codingPath, keys: keys))
    }
}
