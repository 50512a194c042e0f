import ArgumentParser
import OneGridPipeline

/// `onegrid reference load`: the reference registers.
struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reference registers.", subcommands: [Load.self])

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load divisions, grids, boundaries, standard addresses and the worker roster.",
            discussion: "Give a folder holding nanjing-divisions.csv, grids.csv, grids.geojson, addresses.csv and grid_workers.csv, or the files one by one. Reloading updates in place.")
        @OptionGroup var location: WarehouseOptions
        @Argument(help: "A folder with the registers under their usual names.") var folder: String?
        @Option var divisions: String?
        @Option var grids: String?
        @Option var boundaries: String?
        @Option var addresses: String?
        @Option var workers: String?

        var files: ReferenceImporter.Files {
            var files = folder.map(ReferenceImporter.Files.init(folder:)) ?? ReferenceImporter.Files()
            if let divisions { files.divisions = divisions }
            if let grids { files.grids = grids }
            if let boundaries { files.boundaries = boundaries }
            if let addresses { files.addresses = addresses }
            if let workers { files.workers = workers }
            return files
        }

        func validate() throws {
            guard !files.isEmpty else { throw ValidationError("no reference file given or found") }
        }

        func run() throws {
            let c = try failingAs("reference load") {
                try ReferenceImporter(workspace: try Workspace.open(location.paths)).load(files)
            }
            print("divisions \(c.divisions), grids \(c.grids), boundaries \(c.boundaries), addresses \(c.addresses), workers \(c.workers)")
        }
    }
}
