import Foundation
import OneGridPipeline
import Testing

/// A temporary folder holding `files` (relative paths, created with their folders).
private func layout(_ files: [String]) throws -> String {
    let root = NSTemporaryDirectory() + "onegrid-catalog-" + UUID().uuidString
    for file in files {
        let path = root + "/" + file
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data("feed: x\n".utf8).write(to: URL(fileURLWithPath: path))
    }
    return root
}

@Suite("Mappings are found wherever onegrid runs: --mappings, $ONEGRID_MAPPINGS, ./Mappings, beside the binary")
struct MappingCatalogTests {
    @Test("the folders are searched in the documented order, each once")
    func searchOrder() {
        let catalog = MappingCatalog(folder: "/etc/onegrid/mappings", environment: ["ONEGRID_MAPPINGS": "/srv/mappings"],
                                     executablePath: "/opt/onegrid/bin/onegrid")
        #expect(catalog.folders == ["/etc/onegrid/mappings", "/srv/mappings", "Mappings", "/opt/onegrid/bin/Mappings",
                                    "/opt/onegrid/share/onegrid/Mappings"])
        let repeated = MappingCatalog(folder: "/srv/mappings", environment: ["ONEGRID_MAPPINGS": "/srv/mappings/"], executablePath: nil)
        #expect(repeated.folders == ["/srv/mappings", "Mappings"])
    }

    @Test("an installed binary finds the mappings under ../share/onegrid/Mappings when no earlier folder has the feed")
    func installedPrefix() throws {
        let prefix = try layout(["share/onegrid/Mappings/nofeed-elsewhere.yaml", "bin/onegrid"])
        let catalog = MappingCatalog(environment: [:], executablePath: prefix + "/bin/onegrid")
        #expect(try catalog.path(feed: "nofeed-elsewhere") == prefix + "/share/onegrid/Mappings/nofeed-elsewhere.yaml")
    }

    @Test("a Mappings folder beside the binary comes before the share folder; --mappings before both")
    func firstFolderWins() throws {
        let prefix = try layout(["bin/Mappings/both.yaml", "share/onegrid/Mappings/both.yaml", "given/both.yaml", "bin/onegrid"])
        let beside = MappingCatalog(environment: [:], executablePath: prefix + "/bin/onegrid")
        #expect(try beside.path(feed: "both") == prefix + "/bin/Mappings/both.yaml")
        let given = MappingCatalog(folder: prefix + "/given", environment: [:], executablePath: prefix + "/bin/onegrid")
        #expect(try given.path(feed: "both") == prefix + "/given/both.yaml")
        #expect(given.allPaths().filter { $0.feed == "both" }.map(\.path) == [prefix + "/given/both.yaml"])
    }

    @Test("a feed no folder holds fails naming the feed and every folder looked in")
    func notFound() throws {
        let prefix = try layout(["bin/onegrid"])
        let catalog = MappingCatalog(folder: prefix + "/given", environment: [:], executablePath: prefix + "/bin/onegrid")
        #expect(throws: MappingCatalog.NotFound(feed: "nosuchfeed", folders: catalog.folders)) { try catalog.path(feed: "nosuchfeed") }
        let error = MappingCatalog.NotFound(feed: "nosuchfeed", folders: catalog.folders)
        #expect(error.description == "no mapping found for feed nosuchfeed, looked in: \(prefix)/given, Mappings, \(prefix)/bin/Mappings, \(prefix)/share/onegrid/Mappings")
    }
}
