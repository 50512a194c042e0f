import ArgumentParser
import Foundation
import OneGridPipeline

/// `onegrid evaluate`: scores the warehouse's resolution against a sample's ground truth.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the warehouse's grids, people and incidents with a sample's ground truth.",
        discussion: """
        Reads DIR/events.csv and DIR/parties.csv (written by `onegrid sample` under truth/) and prints \
        place → grid accuracy, person linking and incident clustering precision / recall / F1 \
        (pairwise) and the share of events with no grid.
        """)
    @OptionGroup var location: WarehouseOptions
    @Option(help: "The truth folder (with events.csv and parties.csv).") var truth: String
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() throws {
        let result: ResolutionEvaluation
        do {
            result = try ResolutionEvaluation.run(truthDirectory: truth, paths: location.paths)
        } catch {
            complain("onegrid evaluate: \(error)")
            throw Exit.configuration
        }
        if json {
            print(String(decoding: try JSONEncoder.pretty.encode(result), as: UTF8.self))
        } else {
            print(result.text)
        }
    }
}
