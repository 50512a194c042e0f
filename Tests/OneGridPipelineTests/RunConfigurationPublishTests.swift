import Foundation
import OneGridPipeline
import Testing

/// `onegrid.yaml` may carry the `publish:` section `onegrid publish` and `onegrid run` read.
@Suite("A run configuration with a publish section")
struct RunConfigurationPublishTests {
    @Test func aPublishSectionPassesTheConfigurationCheck() throws {
        let yaml = """
        warehouse: w.sqlite
        publish:
          to: postgresql://onegrid_publisher@db.example:5432/grid?sslmode=verify-full
          origin: "320100"
          after_run: true
        feeds:
          patrol: {inbox: in, pattern: '*.jsonl'}
        """
        let configuration = try RunConfiguration.parse(yaml, path: "/etc/onegrid.yaml")
        #expect(configuration.feeds.map(\.name) == ["patrol"])
    }

    @Test func aMisspelledTopLevelKeyIsStillRefused() throws {
        let yaml = "warehouse: w.sqlite\npublsh: {to: x}\n"
        #expect(throws: ConfigurationError.self) { try RunConfiguration.parse(yaml, path: "/etc/onegrid.yaml") }
    }
}
