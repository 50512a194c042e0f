import Foundation
import OneGridMapping
import OneGridPipeline
import Testing

@Suite("reload and rejects replay work on a warehouse alone, without onegrid.yaml")
struct WarehouseAloneTests {
    /// A warehouse that loaded the sample hotline file under the strict mapping (7 rejects),
    /// and the setup of a command given only `--warehouse` and `--mappings` (the fixed ones).
    func strictlyLoaded() throws -> (Workspace, FeedSetup) {
        let strict = try Mapping.load(path: try strictHotlineMappings() + "/hotline12345.yaml")
        let (workspace, _) = try makeWorkspace()
        let loaded = try ImportJob(workspace: workspace, mapping: strict)
            .run(files: [sampleData + "/hotline/12345_20200623.csv"], force: false, command: "test")
        #expect(loaded.map(\.counts.rejected) == [7])
        let setup = try FeedSetup(config: nil, warehouse: workspace.paths.warehouse,
                                  catalog: MappingCatalog(folder: mappingsFolder, environment: [:], executablePath: nil))
        return (workspace, setup)
    }

    @Test("without a configuration the warehouse is the one given and the feed's mapping comes from the catalog")
    func setupFromCatalog() throws {
        let (workspace, setup) = try strictlyLoaded()
        #expect(setup.configuration == nil)
        #expect(setup.paths == WorkspacePaths(warehouse: workspace.paths.warehouse))
        let (mapping, folders) = try setup.feed("hotline12345")
        #expect(mapping.path == mappingsFolder + "/hotline12345.yaml")
        #expect(folders == [])
    }

    @Test("replay takes the feeds holding rejects, with their catalog mappings, and loads what now passes")
    func replayFromCatalog() throws {
        let (workspace, setup) = try strictlyLoaded()
        let mappings = try setup.replayMappings(feed: nil, warehouse: workspace.warehouse)
        #expect(mappings.map(\.feed) == ["hotline12345"])
        let outcomes = try RejectReplay(workspace: workspace, mappings: mappings).execute()
        #expect(outcomes.map(\.new) == [7])
        #expect(outcomes.map(\.stillRejected) == [0])
        #expect(try RejectList(workspace: workspace).entries() == [])
    }

    @Test("reload reads each file again from where it was loaded")
    func reloadFromLoggedPath() throws {
        let (workspace, setup) = try strictlyLoaded()
        var reload = FeedReload(workspace: workspace, mapping: try setup.feed("hotline12345").mapping)
        reload.searchFolders = try setup.feed("hotline12345").searchFolders
        let summary = try reload.execute()
        #expect(summary.files.map(\.state) == [.loaded])
        #expect(summary.files.map(\.counts.rejected) == [0])
    }
}
