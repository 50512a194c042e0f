import ArgumentParser
import Foundation
import OneGridMapping
import OneGridPublish
import OneGridWarehouse

struct Publish: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send what changed since the last publish to a central PostgreSQL database.",
        discussion: """
        Incremental and resumable: each batch and the target's watermark commit together, so a publish \
        that is stopped resumes after its last committed batch and a second publish sends nothing. \
        The password comes from PGPASSWORD, the configuration's publish.password_file or ~/.pgpass, never \
        from the command line. Settings not given here come from the `publish:` section of --config \
        (default ./onegrid.yaml when it exists). Exit codes: 0 published; 1 the publish failed (connection, \
        credentials, TLS, schema, server); 2 bad target or configuration.
        """)
    @OptionGroup var location: WarehouseOptions
    @Option(help: "postgresql://USER@HOST:PORT/DATABASE[?sslmode=disable|require|verify-full][&host=/socket/dir]")
    var to: String?
    @Option(help: "The central schema (default onegrid).") var schema: String?
    @Option(help: "Publish under this origin instead of the warehouse's own id (e.g. 320100).") var origin: String?
    @Option(help: "Changed entities per batch (one target transaction each; default 10000).") var batchSize: Int?
    @Flag(help: "Create the event tables as Citus distributed tables and the others as reference tables.") var citus = false
    @Option(help: "The configuration with a `publish:` section (default: ./onegrid.yaml when it exists).") var config: String?
    @Flag(help: "Print each committed batch.") var verbose = false

    func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        if let origin {
            guard !origin.isEmpty, origin.utf8.count <= 64, origin.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0 != "\u{7F}" }) else {
                throw ValidationError("--origin must be 1 to 64 printable characters without spaces")
            }
        }
    }

    func run() throws {
        let settings: PublishSettings
        let options: PublishOptions
        let warehouse: Warehouse
        do {
            let configPath = config ?? (FileManager.default.fileExists(atPath: "onegrid.yaml") ? "onegrid.yaml" : nil)
            var given = try configPath.map(PublishSettings.load) ?? PublishSettings()
            given.to = to ?? given.to
            given.schema = schema ?? given.schema
            given.origin = origin ?? given.origin
            given.batchSize = batchSize ?? given.batchSize
            given.citus = citus || given.citus
            settings = given
            options = try settings.options()
            let path = location.warehouse ?? settings.warehouse ?? location.paths.warehouse
            warehouse = try Warehouse(path: path, create: false)
        } catch let error as ValidationError {
            throw error
        } catch {
            complain("onegrid publish: \(error)")
            throw Exit.configuration
        }
        let verbose = verbose
        do {
            let report = try Publisher(warehouse: warehouse).publishWaiting(options) { progress in
                if verbose { print("batch \(progress.batches): watermark \(progress.through), \(progress.totalRows) rows so far") }
            }
            print(report.summary)
        } catch let error as PublishError {
            complain("onegrid publish: \(error)")
            if case .badTarget = error { throw Exit.configuration }
            if case .passwordFileUnreadable = error { throw Exit.configuration }
            throw ExitCode(1)
        } catch {
            complain("onegrid publish: \(error)")
            throw ExitCode(1)
        }
    }
}

/// The `publish:` section of `onegrid.yaml`, read through the one YAML gate:
///
/// ```yaml
/// publish:
///   to: postgresql://publisher@db.example:5432/grid?sslmode=verify-full
///   schema: onegrid
///   origin: "320100"
///   password_file: secrets/publish.password
///   batch_size: 10000
///   citus: false
/// ```
struct PublishSettings {
    var to: String?
    var schema: String?
    var origin: String?
    var passwordFile: String?
    var batchSize: Int?
    var citus = false
    /// `after_run: true`: `onegrid run` publishes after loading, under its lock.
    var afterRun = false
    /// The configuration's `warehouse:` (relative to its folder).
    var warehouse: String?

    static func load(path: String) throws -> PublishSettings {
        var settings = PublishSettings()
        guard let top = try YAMLDocument.load(path: path, kind: "configuration").root else { return settings }
        let folder = (path as NSString).deletingLastPathComponent
        func resolve(_ p: String) -> String { p.hasPrefix("/") || folder.isEmpty ? p : (folder as NSString).appendingPathComponent(p) }
        let entries = try top.entries()
        if let node = entries.first(where: { $0.0 == "warehouse" })?.1 { settings.warehouse = resolve(try node.string()) }
        guard let section = entries.first(where: { $0.0 == "publish" })?.1 else { return settings }
        for (key, node) in try section.entries(allowed: ["to", "schema", "origin", "password_file", "batch_size", "citus", "after_run"]) {
            switch key {
            case "to": settings.to = try node.string()
            case "schema": settings.schema = try node.string()
            case "origin": settings.origin = try node.string()
            case "password_file": settings.passwordFile = resolve(try node.string())
            case "batch_size":
                let n = try node.int()
                guard n >= 1 else { throw node.error("expected a whole number ≥ 1") }
                settings.batchSize = n
            case "citus": settings.citus = try node.bool()
            default: settings.afterRun = try node.bool()
            }
        }
        return settings
    }

    /// The publish these settings describe.
    func options() throws -> PublishOptions {
        guard let url = to else {
            throw ValidationError("no target: give --to postgresql://USER@HOST:PORT/DATABASE or publish.to in the configuration")
        }
        return PublishOptions(target: try PublishTarget.parse(url, schema: schema ?? "onegrid"), origin: origin,
                              batchSize: batchSize ?? PublishOptions.defaultBatchSize, citus: citus, passwords: PasswordSource(passwordFile: passwordFile))
    }
}
