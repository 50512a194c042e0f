import Foundation
import OneGridModel
@testable import OneGridSamples

/// A fresh temporary directory for one test.
func temporaryDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "onegrid-samples-\(name)-\(UInt32.random(in: 0...UInt32.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Files under `directory`, relative paths, sorted.
func listFiles(_ directory: String) -> [String] {
    let enumerator = FileManager.default.enumerator(atPath: directory)
    var out: [String] = []
    while let item = enumerator?.nextObject() as? String {
        var isDir: ObjCBool = false
        FileManager.default.fileExists(atPath: directory + "/" + item, isDirectory: &isDir)
        if !isDir.boolValue { out.append(item) }
    }
    return out.sorted()
}

func rawBytes(_ path: String) -> [UInt8] {
    [UInt8](FileManager.default.contents(atPath: path) ?? Data())
}

/// Simple CSV split for the reference files (no quoted commas in them except addresses' fields, which have none).
func csvRows(_ text: String) -> [[String]] {
    text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
}

/// The options SampleData/ is generated with (see SampleData/README.md).
let sampleDataOptions = FeedSampleOptions(seed: 20_200_623, days: 3, hotlineDays: 3, petitionDays: 2, patrolDays: 2,
                                          hotlineRecords: 150, petitionRecords: 30, patrolRecords: 75)
