/// The version of coord-migrate, written into every report.
package let coordMigrateVersion = "0.1.0"
