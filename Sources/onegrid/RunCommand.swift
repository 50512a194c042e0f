import ArgumentParser
import OneGridPipeline
import OneGridPublish

/// `onegrid run`: every new file of the configured inboxes.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load every new file of the configured inboxes (for cron and systemd timers).",
        discussion: """
        Skips files already loaded (same SHA-256, whatever their name), loads the rest in order of their export \
        date, one transaction per file, then archives them if configured. Exit codes: 0 every file loaded or was \
        already loaded; 1 some files failed or crossed their reject threshold; 2 bad configuration; 75 another run \
        holds the lock.
        """)
    @Option(help: "The configuration file.") var config: String = "onegrid.yaml"
    @Option(help: "Reload this file even if already loaded (repeatable; the result is identical).") var force: [String] = []
    @OptionGroup var output: RunOutputOptions

    func run() throws {
        try failingAs("run") {
            var job = ScheduledRun(configuration: try RunConfiguration.load(path: config))
            job.force = force
            job.onEvent = output.reporter()
            // `publish: {after_run: true}`: what this run loaded goes to the central warehouse
            // before the lock is released; a failed publish is reported and exits 1, and the
            // next run's publish sends it (publishes resume from the target's watermark).
            let publishing = try PublishSettings.load(path: config)
            var publishFailed = false
            if publishing.afterRun {
                let options = try publishing.options()
                job.afterLoading = { warehouse in
                    do {
                        // Standard error: standard output may be the run's JSON summary.
                        complain("onegrid run: " + (try Publisher(warehouse: warehouse).publishWaiting(options).summary))
                    } catch {
                        complain("onegrid run: publish: \(error)")
                        publishFailed = true
                    }
                }
            }
            let summary = try job.execute()
            try output.printSummary(summary)
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
            if publishFailed { throw ExitCode(1) }
        }
    }
}
