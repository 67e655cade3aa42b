public import CoordMigrateModel
public import CoordMigrateScan
/// The detectors every analysis runs, in the order their `finish` is called:
/// infrastructure first (later detectors read it), then the eight patterns.
/// A new built-in detector is one file plus one line here.
enum BuiltInDetectors {
    static func make() -> [any Detector] {
        [
            SourceCodeDetector(),
            AgentRegistryDetector(),
            MailboxLayoutDetector(),
            AgentConfigDetector(),
            MessageSystemDetector(),
            EventLogDetector(),
            InboxStructureDetector(),
            ScaleDetector(),
            CollisionFreeMessagingDetector(),
            EventSourcingDetector(),
            ContentAddressedDAGDetector(),
            AuthorityDomainsDetector(),
            PriorityQueueDetector(),
            DeferQueueDetector(),
            FaultTolerantWrappersDetector(),
            TLAVerificationDetector(),
            DiscoveryDetector(),
        ]
    }
}
