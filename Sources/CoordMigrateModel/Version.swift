/// The version of coord-migrate, written into every report.
public let coordMigrateVersion = "0.1.0"
