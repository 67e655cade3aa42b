// `import CoordMigrate` brings the whole public API: the report model, the scanner,
// detectors, scoring and planning, the emitters and the settings readers.
@_exported public import CoordMigrateAnalysis
@_exported public import CoordMigrateDetect
@_exported public import CoordMigrateEmit
@_exported public import CoordMigrateModel
@_exported public import CoordMigrateScan
@_exported public import CoordMigrateSettings
