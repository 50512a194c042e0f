import ArgumentParser
import Foundation
import OneGridMapping
import OneGridPipeline

struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping", abstract: "Work on feed mapping files.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate mapping files alone, without data.",
            discussion: "Prints what each mapping reads and fills and its hash; on the first fault prints FILE:LINE: 'key.path': message and exits 2.")
        @Argument(help: "Mapping files (YAML).") var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do { print(MappingSummary.render(try Mapping.load(path: file))) } catch {
                    complain(error.description)
                    failed = true
                }
            }
            if failed { throw Exit.configuration }
        }
    }
}
