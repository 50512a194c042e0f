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
        subcommands: [
            Demo.self, Init.self, Reference.self, Import.self, DryRunCommand.self, MappingCommand.self, Status.self,
            Rejects.self, Export.self, Sample.self, Run.self, Reload.self, Evaluate.self,
            Publish.self,
        ])

    static func main() {
        MemoryTuning.configure()
        main(nil)
    }
}

/// Options every command that touches the warehouse takes.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: "The warehouse file (default: $ONEGRID_WAREHOUSE or ./onegrid.sqlite).")
    var warehouse: String?

    var paths: WorkspacePaths { WorkspacePaths(warehouse: warehouse) }
}

/// Where feed mappings are found for `--feed NAME`.
struct MappingOptions: ParsableArguments {
    @Option(name: .long, help: "A feed name: Mappings/NAME.yaml.")
    var feed: String?

    @Option(name: .long, help: "A mapping file, instead of --feed.")
    var mapping: String?

    @Option(name: .long, help: "The folder of mapping files (default: $ONEGRID_MAPPINGS or ./Mappings).")
    var mappings: String?

    func validate() throws {
        guard (feed == nil) != (mapping == nil) else {
            throw ValidationError("give exactly one of --feed NAME or --mapping FILE")
        }
    }

    var mappingPath: String {
        if let mapping { return mapping }
        return MappingCatalog(folder: mappings).path(feed: feed!)
    }
}

/// Prints to standard error.
func complain(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Exit codes documented in the README.
enum Exit {
    static let filesFailed = ExitCode(1)
    static let configuration = ExitCode(2)
    static let locked = ExitCode(75)
}
