public import Foundation

/// Everything any emitter prints: the only thing emitters see.
///
/// Encoded with ``MigrationReport/jsonEncoder()`` it gives the JSON document other
/// tools consume (snake_case keys, sorted); ``MigrationReport/decode(_:)`` reads
/// such a document back.
public struct MigrationReport: Codable, Sendable, Hashable {
    /// The version of the JSON layout. Bumped when a documented key moves or
    /// changes meaning.
    public static let currentSchemaVersion = "1"

    public struct Tool: Codable, Sendable, Hashable {
        public var name: String
        public var version: String
    }

    /// What the walk cost.
    public struct ScanStatistics: Codable, Sendable, Hashable {
        public var files: Int
        public var directories: Int
        /// Entries not looked into: symlinks, special files, excluded folders,
        /// unreadable entries.
        public var skipped: Int
        /// Wall time of the scan; 0 when the clock is fixed for reproducible output.
        public var elapsedMs: Int
    }

    public var schemaVersion: String
    public var tool: Tool
    /// ISO 8601, UTC, whole seconds.
    public var generatedAt: String
    /// The analysed directory, absolute.
    public var targetPath: String
    public var detection: DetectionResult
    public var complexity: ComplexityResult
    public var plan: MigrationPlan
    public var scan: ScanStatistics

    /// The encoder that writes the published JSON layout.
    public static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The decoder that reads the published JSON layout.
    public static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }

    /// The report as the published JSON document, ending in a newline.
    public func jsonData() throws -> Data {
        var data = try Self.jsonEncoder().encode(self)
        data.append(0x0A)
        return data
    }
}
