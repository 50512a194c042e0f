import OneGridFeeds
import OneGridModel

/// The standing rejects of one file as a feed reader, so that `rejects replay` reads them
/// through the import loop like any file: each reject's raw record read again as its
/// format reads it (`StoredReject.reread`), keeping its original position. A reject whose
/// record cannot be read again (its context was not kept) yields nothing, and stays a reject.
final class StoredRejectReader: FeedReader {
    private let rejects: [StoredReject]
    private let format: FeedFormat
    private let options: FeedReaderOptions
    private var nextIndex = 0
    /// The file's column names (CSV): every reject of a file shares its header record.
    let header: [String]?
    let encoding: TextEncodingName
    var isGzip: Bool { false }
    private(set) var bytesConsumed: Int64 = 0
    let fileSize: Int64

    /// `rejects` come from one file, in the order they are to be replayed.
    init(rejects: [StoredReject], format: FeedFormat, options: FeedReaderOptions) {
        self.rejects = rejects
        self.format = format
        self.options = options
        header = rejects.first?.reread(format: format, options: options).header
        encoding = rejects.first?.encoding ?? .utf8
        fileSize = Int64(rejects.reduce(0) { $0 + $1.raw.count })
    }

    func next() throws(FeedError) -> ReadItem? {
        while nextIndex < rejects.count {
            let reject = rejects[nextIndex]
            nextIndex += 1
            bytesConsumed += Int64(reject.raw.count)
            if let item = reject.reread(format: format, options: options).item { return item }
        }
        return nil
    }
}
