import Foundation
import OneGridModel
import OneGridPipeline
import Testing

/// Names in rejected XML and JSON Lines records are shown masked as names, as CSV name
/// columns are (issue #13): the identifier masking alone leaves a name whole.
@Suite("Names in rejected tree records")
struct RejectNameMaskingTests {
    private let petitions = """
    <?xml version="1.0" encoding="UTF-8"?>
    <XFExport xmlns="urn:njxf:exchange:1.0" exportedAt="2020-06-23T18:00:00+08:00">
      <Petition id="XF320111202006230001">
        <RegisteredAt>not a date</RegisteredAt>
        <Form>来信</Form>
        <Petitioners><Person lead="true"><Name>欧阳明华</Name><Phone>13912345678</Phone></Person>
          <Person lead="false"><Name>王明</Name></Person></Petitioners>
        <Subject>反映噪声</Subject>
      </Petition>
      <Petition id="XF320111202006230002">
        <RegisteredAt>2020-06-23T10:03:45</RegisteredAt>
        <Form>来信</Form>
        <Subject>反映油烟</Subject>
      </Petition>
    </XFExport>

    """

    private func importPetitions() throws -> (Workspace, String) {
        let (workspace, folder) = try makeWorkspace()
        let file = folder + "/xf_3201_20200623.xml"
        try petitions.write(toFile: file, atomically: true, encoding: .utf8)
        let results = try importFeed(workspace, "petition", [file])
        #expect(results.map(\.counts.rejected) == [1])
        return (workspace, file)
    }

    @Test func theRejectsListingMasksThePetitionersNames() throws {
        let (workspace, _) = try importPetitions()
        let masked = try RejectList(workspace: workspace).entries(limit: nil, mappings: ["petition": try mapping("petition")])
        #expect(masked.count == 1)
        let raw = try #require(masked.first?.raw)
        #expect(!raw.contains("欧阳明华") && !raw.contains("王明"))
        #expect(raw.contains("欧**") && raw.contains("王*"))
        #expect(!raw.contains("13912345678"))
        let clear = try RejectList(workspace: workspace).entries(limit: nil, clear: true, mappings: ["petition": try mapping("petition")])
        #expect(clear.first?.raw.contains("欧阳明华") == true)
    }

    @Test func theDryRunsRejectExampleMasksThePetitionersNames() throws {
        let (workspace, file) = try importPetitions()
        let (fresh, _) = try makeWorkspace(sharingKeyOf: workspace)
        let report = try DryRun(mapping: try mapping("petition"), paths: fresh.paths).run(files: [file])
        let shown = String(decoding: try JSONEncoder().encode(report), as: UTF8.self) + DryRunText.render(report)
        #expect(report.totals.rejected == 1)
        #expect(!shown.contains("欧阳明华") && !shown.contains("王明"))
    }
}
