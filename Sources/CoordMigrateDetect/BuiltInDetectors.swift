import CoordMigrateModel

/// A detector that decides one of the eight patterns (its text is the pattern's
/// ``PatternDefinition``).
protocol PatternDetector: Detector {
    static var pattern: PatternID { get }
}

/// The detectors every analysis runs, in the order their `finish` is called:
/// infrastructure first (later detectors read it), then one detector per pattern,
/// then discovery. A new built-in detector is one file plus one line here.
enum BuiltInDetectors {
    /// What the pattern detectors read: code signals, agents, inboxes, the message system, scale.
    static func infrastructure() -> [any Detector] {
        [
            SourceCodeDetector(),
            AgentRegistryDetector(),
            MailboxLayoutDetector(),
            AgentConfigDetector(),
            MessageSystemDetector(),
            EventLogDetector(),
            InboxStructureDetector(),
            ScaleDetector(),
        ]
    }

    /// One detector per pattern, in ``PatternDefinition/all``'s order.
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

    static func make() -> [any Detector] {
        infrastructure() + patterns() + [DiscoveryDetector()]
    }
}
