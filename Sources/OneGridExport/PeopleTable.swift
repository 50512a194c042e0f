import OneGridWarehouse

/// `people`: one row per person named in the events kept by the filters, with their event
/// counts per feed (`hotline12345:2; petition:1`), their roles and first and last report.
/// At `--pii token` the three identity columns are the person's keyed tokens, each named
/// for what it is: ID-number token, phone token, and name-with-phone token (the store
/// keeps no token of a name alone).
enum PeopleTable {
    static let identity: [ExportColumn] = [.init("name", "姓名"), .init("id_number", "证件号码"), .init("phone", "联系电话")]
    static let tokens: [ExportColumn] = [
        .init("id_token", "证件号码令牌"), .init("phone_token", "联系电话令牌"), .init("name_phone_token", "姓名+联系电话令牌"),
    ]

    static func columns(_ pii: PIILevel) -> [ExportColumn] {
        [.init("person_id", "人员ID")] + (pii == .token ? tokens : identity) + [
            .init("roles", "角色"), .init("event_count", "事件数"), .init("events_by_feed", "各来源事件数"),
            .init("first_reported", "首次上报时间"), .init("last_reported", "最近上报时间"),
        ]
    }

    static func rows(_ context: TableContext, emit: (borrowing [ExportValue]) throws -> Void) throws -> Set<String> {
        struct Person {
            var id: Int64
            var feeds: [(String, Int64)] = []
            var roles: Set<String> = []
            var first: Int64?
            var last: Int64?
        }
        var current: Person?
        func flush(_ person: Person) throws {
            guard let forms = try context.reader.person(id: person.id) else { return }
            let identity: [ExportValue]
            if context.pii.level == .token {
                identity = [.string(forms.idToken), .string(forms.phoneToken), .string(forms.namePhoneToken)]
            } else {
                let pii = try context.pii.person(context.reader, id: person.id, forms: forms)
                identity = [pii.name, pii.idNumber, pii.phone]
            }
            try emit([
                .integer(person.id), identity[0], identity[1], identity[2],
                .text(person.roles.sorted().joined(separator: ",")),
                .integer(person.feeds.reduce(0) { $0 + $1.1 }),
                .text(person.feeds.map { "\($0.0):\($0.1)" }.joined(separator: "; ")),
                .seconds(person.first), .seconds(person.last),
            ])
        }
        let applied = try context.reader.personFeedCounts(context.filter) { r in
            let id = r.personID
            if let p = current, p.id != id {
                try flush(p)
                current = nil
            }
            var person = current ?? Person(id: id)
            person.feeds.append((r.source, r.events))
            for role in (r.roles ?? "").split(separator: ",") { person.roles.insert(String(role)) }
            if let first = r.firstReported { person.first = min(person.first ?? first, first) }
            if let last = r.lastReported { person.last = max(person.last ?? last, last) }
            current = person
        }
        if let p = current { try flush(p) }
        return applied
    }
}
