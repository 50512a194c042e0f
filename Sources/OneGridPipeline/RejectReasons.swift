import OneGridFeeds
import OneGridMapping
import OneGridModel

// Readers and mapping rules still name their reasons by code (they sit below or beside the
// pipeline and predate `RejectReason`); the pipeline turns a code into the typed reason
// here, once, where an outcome leaves the reader or the mapper.

extension ReadProblem {
    /// The reject reason of a record its reader could not read.
    var rejectReason: RejectReason { RejectReason(code: code) }
}

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
