import Logging

/// The handler every logger of the agent's processes gets: it writes through `inner` (the journal or
/// standard error), logs at ``LogSettings/level`` unless a level was set on the logger, and also
/// sends each line to ``LogSettings/syslog`` when `use_syslog` is on.
public struct ConfiguredLogHandler: LogHandler {
    var inner: any LogHandler
    let label: String
    /// A level set on this logger; nil follows ``LogSettings/level``.
    var explicitLevel: Logger.Level?

    public init(label: String, inner: any LogHandler) {
        self.label = label
        var inner = inner
        inner.logLevel = .trace  // this handler filters
        self.inner = inner
    }

    public var logLevel: Logger.Level {
        get { explicitLevel ?? LogSettings.level }
        set { explicitLevel = newValue }
    }

    /// Kept here and merged into an event only when one is logged: the framework sets a request's
    /// metadata on every request, and a handler that formats it at every set (swift-log's
    /// `StreamLogHandler` does) pays for it on requests that log nothing.
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        var event = event
        event.metadata = merged.isEmpty ? nil : merged
        inner.log(event: event)
        guard let syslog = LogSettings.syslog else { return }
        var text = "\(label): \(event.message)"
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { text += " \(key)=\(value)" }
        syslog.send(level: event.level, text: text)
    }
}
