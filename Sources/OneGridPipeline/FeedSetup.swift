import Foundation
import OneGridMapping
import OneGridWarehouse

/// Where `reload` and `rejects replay` find the warehouse and each feed's mapping: the run
/// configuration (`onegrid.yaml`) when there is one, else the warehouse alone with the
/// mappings of the `MappingCatalog` — a file is then read again from where it was loaded.
public struct FeedSetup {
    /// The run configuration, when one was given or `./onegrid.yaml` exists.
    public let configuration: RunConfiguration?
    public let paths: WorkspacePaths
    public let catalog: MappingCatalog

    /// - Parameters:
    ///   - config: a configuration file that must be read; nil for `./onegrid.yaml` when it
    ///     exists, else none.
    ///   - warehouse: `--warehouse`, which wins over the configuration's.
    public init(config: String?, warehouse: String?, catalog: MappingCatalog) throws {
        let path = config ?? (FileManager.default.fileExists(atPath: "onegrid.yaml") ? "onegrid.yaml" : nil)
        configuration = try path.map(RunConfiguration.load(path:))
        if let configuration, warehouse == nil {
            paths = configuration.workspacePaths
        } else {
            paths = WorkspacePaths(warehouse: warehouse)
        }
        self.catalog = catalog
    }

    /// A feed the configuration does not list.
    public struct UnknownFeed: Error, CustomStringConvertible {
        public var feed: String
        public var configuration: RunConfiguration

        public var description: String {
            "feed '\(feed)' is not in \(configuration.path) (configured: \(configuration.feeds.map(\.name).joined(separator: ", ")))"
        }
    }

    /// The current mapping of `feed` and the folders its files may have moved to (its inbox
    /// and archive when configured; none otherwise).
    public func feed(_ feed: String) throws -> (mapping: Mapping, searchFolders: [String]) {
        guard let configuration else { return (try Mapping.load(path: try catalog.path(feed: feed)), []) }
        guard let entry = configuration.feeds.first(where: { $0.name == feed }) else {
            throw UnknownFeed(feed: feed, configuration: configuration)
        }
        return (try Mapping.load(path: entry.mapping), [entry.inbox, entry.archiveFolder])
    }

    /// The mappings whose rejects to replay: `feed` alone, else every configured feed, else
    /// (no configuration) every feed holding standing rejects in `warehouse`.
    public func replayMappings(feed: String?, warehouse: Warehouse) throws -> [Mapping] {
        if let configuration {
            let feeds = configuration.feeds.filter { feed == nil || $0.name == feed }
            guard !feeds.isEmpty else { throw UnknownFeed(feed: feed ?? "", configuration: configuration) }
            return try feeds.map { try Mapping.load(path: $0.mapping) }
        }
        let names = try feed.map { [$0] } ?? warehouse.feedsWithStandingRejects()
        return try names.map { try Mapping.load(path: try catalog.path(feed: $0)) }
    }
}
