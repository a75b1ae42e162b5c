import Synchronization

/// A value shared between tasks and threads, every access under a mutex.
package final class LockedValue<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    package init(_ value: Value) { mutex = Mutex(value) }

    package var value: Value { mutex.withLock { $0 } }

    package func set(_ value: Value) { mutex.withLock { $0 = value } }

    @discardableResult
    package func update<T: Sendable>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}
