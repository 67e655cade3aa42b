import CoordMigrateModel

/// The pattern detectors, one per pattern, in ``PatternDefinition/all``'s order. A
/// new pattern's detector is one file plus one line here; the infrastructure
/// detectors and the phases they run in are in ``BuiltInDetection``.
enum BuiltInDetectors {
    static func patterns() -> [any PatternDetector] {
        [
            CollisionFreeMessagingDetector(),
            EventSourcingDetector(),
            ContentAddressedDAGDetector(),
            AuthorityDomainsDetector(),
            PriorityQueueDetector(),
            DeferQueueDetector(),
            FaultTolerantWrappersDetector(),
            TLAVerificationDetector(),
        ]
    }
}
