/// Pairwise precision, recall and F1 of a clustering against the true one.
///
/// Every pair of items is a claim "these two are the same": a pair the prediction puts in one
/// cluster is a predicted pair, a pair the truth puts in one cluster a true pair, and a pair
/// both put together a shared pair. Precision = shared / predicted (1 when nothing is
/// predicted together), recall = shared / true (1 when nothing is truly together), F1 their
/// harmonic mean. Counted from the contingency table of (true, predicted) labels, so it costs
/// one pass over the items, never a pass over pairs.
public struct PairwiseScore: Sendable, Hashable, Codable {
    /// Items scored.
    public var items: Int
    public var truePairs: Int
    public var predictedPairs: Int
    public var sharedPairs: Int
    public var precision: Double
    public var recall: Double
    public var f1: Double

    public init(items: Int, truePairs: Int, predictedPairs: Int, sharedPairs: Int) {
        self.items = items
        self.truePairs = truePairs
        self.predictedPairs = predictedPairs
        self.sharedPairs = sharedPairs
        let p = predictedPairs == 0 ? 1 : Double(sharedPairs) / Double(predictedPairs)
        let r = truePairs == 0 ? 1 : Double(sharedPairs) / Double(truePairs)
        precision = p
        recall = r
        f1 = p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Scores `items` given as (true label, predicted label); a nil predicted label is a
    /// cluster of its own (an event in no incident, a party linked to no person).
    public static func score<T: Hashable, P: Hashable>(_ items: [(truth: T, predicted: P?)]) -> PairwiseScore {
        var truth: [T: Int] = [:], predicted: [P: Int] = [:]
        var shared: [Pair<T, P>: Int] = [:]
        for item in items {
            truth[item.truth, default: 0] += 1
            if let p = item.predicted {
                predicted[p, default: 0] += 1
                shared[Pair(truth: item.truth, predicted: p), default: 0] += 1
            }
        }
        func pairs<K>(_ counts: [K: Int]) -> Int { counts.values.reduce(0) { $0 + $1 * ($1 - 1) / 2 } }
        return PairwiseScore(items: items.count, truePairs: pairs(truth), predictedPairs: pairs(predicted),
                             sharedPairs: pairs(shared))
    }

    private struct Pair<T: Hashable, P: Hashable>: Hashable {
        var truth: T
        var predicted: P
    }
}
