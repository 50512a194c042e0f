import OneGridModel
import OneGridWarehouse

extension Exporter {
    /// Refuses a filter that cannot mean what it says: a division or grid code the
    /// warehouse does not hold at that level (`--district 32011`, a community code given
    /// to `--grid`), a feed or category it does not know, or `since` not before `until`.
    /// The error names the valid values (the first `listed` of them), so a typo is not
    /// answered with an empty or a wrong export. `export` and `report` check before
    /// writing anything.
    public func check(_ filter: ExportFilter, listed: Int = 20) throws(ExportError) {
        do {
            try warehouse.readTables { reader in try FilterCheck(reader: reader, listed: listed).check(filter) }
        } catch let error as ExportError {
            throw error
        } catch {
            throw .invalidOption(name: "filter", message: "\(error)")
        }
    }
}

/// The checks of `Exporter.check`, on one read of the warehouse.
struct FilterCheck {
    let reader: TableReader
    let listed: Int

    static let levels = ["district", "street", "community", "grid"]
    static let chineseLevels = ["district": "区", "street": "街道", "community": "社区", "grid": "网格"]

    func check(_ filter: ExportFilter) throws {
        if let since = filter.since, let until = filter.until, since.seconds >= until.seconds {
            throw ExportError.invalidFilter(name: "--since", message: "\(since.beijingText) is not before --until \(until.beijingText)")
        }
        // Each division filter narrows the list offered for the next.
        var parent = ""
        for (level, code) in [("district", filter.district), ("street", filter.street), ("community", filter.community),
                              ("grid", filter.grid)] {
            guard let code else { continue }
            try checkCode(code, level: level, within: parent)
            if code.hasPrefix(parent) { parent = code }
        }
        if !filter.sources.isEmpty {
            let feeds = try reader.knownFeeds()
            for feed in filter.sources where !feeds.contains(feed) {
                throw ExportError.invalidFilter(name: "--source", message: "no feed '\(feed)'; the warehouse holds: "
                                                + (feeds.isEmpty ? "none" : feeds.joined(separator: ", ")))
            }
        }
        if let category = filter.category, !(try reader.categoryExists(category)) {
            let domains = try reader.domains().map { "\($0.code) \($0.name)" }
            throw ExportError.invalidFilter(name: "--category", message: "no category '\(category)'; a code of the taxonomy "
                                            + "or its prefix level, such as: " + domains.joined(separator: ", "))
        }
    }

    private func checkCode(_ code: String, level: String, within parent: String) throws {
        let found = try reader.codeLevel(code)
        if found?.level == level { return }
        var message: String
        if let found {
            message = "'\(code)' is a \(found.level) code (\(found.name)); use --\(found.level)"
        } else {
            message = "no \(level) '\(code)'"
        }
        // Offer the codes of this level under the parent filter, else under the longest
        // prefix of the code that has any, else all.
        var options = try reader.codes(level: level, prefix: parent, limit: listed + 1)
        if found == nil && parent.isEmpty {
            var prefix = code
            while !prefix.isEmpty {
                let near = try reader.codes(level: level, prefix: prefix, limit: listed + 1)
                if !near.isEmpty { options = near; break }
                prefix.removeLast()
            }
        }
        if options.isEmpty {
            message += "; the warehouse holds no \(level) codes"
        } else {
            message += "; \(level) codes: " + options.prefix(listed).map { "\($0.code) \($0.name)" }.joined(separator: ", ")
                + (options.count > listed ? ", …" : "")
        }
        throw ExportError.invalidFilter(name: "--\(level)", message: message)
    }
}
