import OneGridFeeds
import OneGridMapping
import OneGridModel

// Mapping rules still name their reasons by code (a rule's failure may carry a code the
// typed list does not know, kept as `.other`); the pipeline turns it into the typed reason
// here, once, where an outcome leaves the mapper. Readers name theirs typed
// (`ReadProblem.rejectReason`).

extension RecordRejection {
    /// The reject reason of a record its mapping refused.
    var rejectReason: RejectReason { RejectReason(code: reason) }
}

extension Tally {
    /// A typed reason counted under its stored code, as the dry-run report lists it.
    mutating func reject(reason: RejectReason, keep: Int, example: DryRunReport.Example) {
        reject(reason: reason.code, keep: keep, example: example)
    }
}
