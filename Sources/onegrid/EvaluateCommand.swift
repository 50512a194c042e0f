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
        (pairwise) and the share of events with no grid. Several sets in one command: repeat \
        --truth, --warehouse and --label in the same order (the tuned set beside the held-out ones).
        """)
    @Option(help: "A truth folder (with events.csv and parties.csv); repeat for several sets.") var truth: [String] = []
    @Option(help: "The warehouse of each --truth, in order (default for one set: $ONEGRID_WAREHOUSE or ./onegrid.sqlite).")
    var warehouse: [String] = []
    @Option(help: "The name each set is reported under, in order (default: its truth folder).") var label: [String] = []
    @Flag(help: "Print JSON instead of text.") var json = false
    @Flag(help: "Also list the incident pairs clustering got wrong, counted by class (text only).") var misses = false

    func validate() throws {
        guard !truth.isEmpty else { throw ValidationError("give --truth DIR (one per set)") }
        guard warehouse.count == truth.count || (warehouse.isEmpty && truth.count == 1) else {
            throw ValidationError("give one --warehouse per --truth (\(truth.count) truth folders, \(warehouse.count) warehouses)")
        }
        guard label.isEmpty || label.count == truth.count else {
            throw ValidationError("give one --label per --truth, or none (\(truth.count) truth folders, \(label.count) labels)")
        }
    }

    func run() throws {
        var sets: [LabelledEvaluation] = []
        for (i, folder) in truth.enumerated() {
            let paths = WorkspacePaths(warehouse: warehouse.isEmpty ? nil : warehouse[i])
            do {
                let result = try ResolutionEvaluation.run(truthDirectory: folder, paths: paths)
                sets.append(LabelledEvaluation(label: label.isEmpty ? folder : label[i], evaluation: result))
            } catch {
                complain("onegrid evaluate: \(error)")
                throw Exit.configuration
            }
        }
        // One unlabelled set prints as it always did; labels or several sets print each under its name.
        let single = sets.count == 1 && label.isEmpty ? sets[0].evaluation : nil
        if json {
            let data = try single.map { try JSONEncoder.pretty.encode($0) } ?? JSONEncoder.pretty.encode(sets)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(single?.text ?? LabelledEvaluation.text(sets))
        }
        guard misses, !json else { return }
        for (i, folder) in truth.enumerated() {
            let paths = WorkspacePaths(warehouse: warehouse.isEmpty ? nil : warehouse[i])
            do {
                print("-- incident misses of \(sets[i].label) --")
                print(try IncidentMisses.run(truthDirectory: folder, paths: paths).text)
            } catch {
                complain("onegrid evaluate: \(error)")
                throw Exit.configuration
            }
        }
    }
}
