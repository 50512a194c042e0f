import ArgumentParser
import Foundation
import OneGridPipeline

@main
struct OneGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onegrid",
        abstract: "Load departmental exports into one grid-governance warehouse (一张网).",
        discussion: """
        Exit codes: 0 success; 1 some files failed or crossed their reject threshold; \
        2 bad usage or configuration (64 for argument errors); 75 another run holds the lock.
        """,
        // One command a line: several people add commands here.
        subcommands: [
            Demo.self,
            Init.self,
            Reference.self,
            Import.self,
            DryRunCommand.self,
            MappingCommand.self,
            Status.self,
            Rejects.self,
            Export.self,
            Sample.self,
            Run.self,
            Reload.self,
            Evaluate.self,
            Report.self,
            Publish.self,
        ])

    static func main() {
        MemoryTuning.configure()
        main(nil)
    }
}
