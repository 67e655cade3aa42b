import CoordMigrateModel
/// The part of a report's file name that says which discovered system it is for.
package enum SystemSlug {
    /// One name per folder, in the same order: letters, digits, `-` and `_` kept,
    /// anything else `-`; when two folders give the same name (`a b/`, `a-b/`), the
    /// later ones get `-2`, `-3`… (never a name another folder already has).
    package static func unique(_ folders: [String]) -> [String] {
        let plain = folders.map { folder -> String in
            let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
            let slug = String(trimmed.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
            return slug.isEmpty || slug == "." ? "root" : slug
        }
        var taken = Set<String>()
        var counts: [String: Int] = [:]
        for slug in plain { counts[slug, default: 0] += 1 }
        var result: [String] = []
        for slug in plain {
            var name = slug
            if counts[slug, default: 0] > 1 || taken.contains(name) {
                var number = 1
                while taken.contains(name) || (number > 1 && plain.contains(name)) {
                    number += 1
                    name = "\(slug)-\(number)"
                }
            }
            taken.insert(name)
            result.append(name)
        }
        return result
    }
}
