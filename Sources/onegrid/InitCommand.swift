import ArgumentParser
import OneGridPipeline

/// `onegrid init`: creates the warehouse and its key file.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the warehouse and its PII key file.")
    @OptionGroup var location: WarehouseOptions

    func run() throws {
        let (workspace, created) = try failingAs("init") { try Workspace.initialise(location.paths) }
        print("warehouse: \(workspace.paths.warehouse)")
        print("key file:  \(workspace.paths.keyFile)\(created ? " (created, mode 0600: keep it safe and out of the warehouse's backups)" : " (existing)")")
        print("key fingerprint: \(workspace.key.fingerprint)")
    }
}
