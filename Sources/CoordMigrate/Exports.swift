// `import CoordMigrate` brings the whole public API: running an analysis (this module),
// the report model, what a detector sees (the scan entry, the detection context), the
// gate conditions, the emitters and the project file. Everything else in the stages is
// `package`: shared with the other targets of this package, not with its users.
@_exported public import CoordMigrateAnalysis
@_exported public import CoordMigrateDetect
@_exported public import CoordMigrateEmit
@_exported public import CoordMigrateModel
@_exported public import CoordMigrateScan
@_exported public import CoordMigrateSettings
