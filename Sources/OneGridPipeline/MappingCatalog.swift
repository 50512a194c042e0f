import Foundation

/// Finds feed mappings by name: `--mappings DIR`, else `$ONEGRID_MAPPINGS`, else `./Mappings`.
public struct MappingCatalog: Sendable {
    public let folder: String

    public init(folder: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.folder = folder ?? environment["ONEGRID_MAPPINGS"] ?? "Mappings"
    }

    public func path(feed: String) -> String {
        (folder as NSString).appendingPathComponent(feed + ".yaml")
    }
}
