import Foundation
import OneGridPublish
import OneGridWarehouse
import Testing

/// `onegrid publish` killed with SIGKILL mid-way, then run again, ends with central tables
/// identical to an uninterrupted publish: every batch commits with its watermark or not at all.
@Suite(.enabled(if: TestServer.enabled, TestServer.skipMessage))
struct KilledPublishTests {
    static let binary = repositoryRoot + "/.build/debug/onegrid"

    func publishProcess(_ warehouse: String, _ target: PublishTarget, folder: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["publish", "--warehouse", warehouse, "--to", TestServer.url!, "--schema", target.schema,
                             "--origin", "killed", "--batch-size", "7"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = TestServer.password
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test func sigkillsDuringPublishThenResumeGiveIdenticalTables() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build the command first: swift build")
        let killed = try TestServer.target()
        let whole = try TestServer.target()
        let (warehouse, folder) = try SampleWarehouse.copy()
        let last = try warehouse.lastChange()
        let uninterrupted = try await Publisher(warehouse: warehouse).publish(TestServer.options(whole, origin: "killed"))
        #expect(uninterrupted.through == last)

        func watermark() async -> Int64 {
            let seq = try? await TestServer.scalar(
                "SELECT coalesce((SELECT seq FROM \(killed.schema).publish_watermark WHERE origin = 'killed'), 0)::text", on: killed)
            return Int64(seq ?? "") ?? 0
        }
        // Each round kills the process as soon as it has committed a batch more than the last round saw.
        var watermarks: [Int64] = []
        for _ in 0..<4 {
            let before = await watermark()
            let process = try publishProcess(warehouse.path, killed, folder: folder)
            while process.isRunning, await watermark() <= before { try await Task.sleep(for: .milliseconds(5)) }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            watermarks.append(await watermark())
        }
        // At least one kill landed between batches' commits, mid-publish.
        #expect(watermarks.contains { $0 > 0 && $0 < last }, "watermarks after the kills: \(watermarks) of \(last)")
        #expect(watermarks == watermarks.sorted(), "a watermark never goes back")

        let resumed = try publishProcess(warehouse.path, killed, folder: folder)
        resumed.waitUntilExit()
        #expect(resumed.terminationStatus == 0)
        #expect(try await centralDigest(killed) == (try await centralDigest(whole)))
        #expect(try await TestServer.scalar("SELECT seq::text FROM \(killed.schema).publish_watermark WHERE origin = 'killed'",
                                            on: killed) == String(last))
    }
}
