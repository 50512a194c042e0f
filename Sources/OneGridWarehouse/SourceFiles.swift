import GRDB

/// Questions about the operations log of files.
public enum SourceFiles {
    /// Whether a file with this SHA-256 has been loaded (any name, any run).
    public static func isLoaded(_ db: Database, sha256: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM source_file WHERE sha256 = ? AND state = 'loaded')",
                          arguments: [sha256]) ?? false
    }
}
