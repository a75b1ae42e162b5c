import Foundation
import PDSAuth

/// A `SecretBackend` in memory, for tests of what `CredentialStore` writes in which order:
/// `onStore`/`onLookup`/`onDelete` run before each operation (to look at the file at that
/// moment, or to fail it), and `items` is what is stored.
package final class MemorySecretBackend: SecretBackend, @unchecked Sendable {
    // @unchecked: every member is read and written under `lock`.
    private let lock = NSLock()
    private var stored: [(key: SecretItemKey, payload: String)] = []
    private var hooks = Hooks()

    package struct Hooks {
        package var onStore: (SecretItemKey) throws(PDSAuthError) -> Void = { _ throws(PDSAuthError) in }
        package var onLookup: (SecretQuery) throws(PDSAuthError) -> Void = { _ throws(PDSAuthError) in }
        package var onDelete: (SecretQuery) throws(PDSAuthError) -> Void = { _ throws(PDSAuthError) in }
        /// A service that answers "stored" and keeps something else.
        package var keepsGarbage = false
    }

    package init() {}

    package var kind: SecretStoreKind { .secretService }

    package var items: [(key: SecretItemKey, payload: String)] { lock.withLock { stored } }

    package func setHooks(_ change: (inout Hooks) -> Void) { lock.withLock { change(&hooks) } }

    /// Stores an item directly, as another process (or one killed later) would have.
    package func put(_ payload: String, as key: SecretItemKey) {
        lock.withLock {
            stored.removeAll { $0.key.profileID == key.profileID && $0.key.generation == key.generation && $0.key.basis == key.basis }
            stored.append((key, payload))
        }
    }

    package func store(_ payload: String, as key: SecretItemKey) throws(PDSAuthError) {
        try lock.withLock { hooks.onStore }(key)
        put(lock.withLock { hooks.keepsGarbage } ? "garbage" : payload, as: key)
    }

    package func lookup(_ query: SecretQuery) throws(PDSAuthError) -> String? {
        try lock.withLock { hooks.onLookup }(query)
        return lock.withLock { stored.last { query.matches($0.key) }?.payload }
    }

    package func generations(_ query: SecretQuery) throws(PDSAuthError) -> [String] {
        lock.withLock { stored.filter { query.matches($0.key) }.map(\.key.generation) }
    }

    package func delete(_ query: SecretQuery) throws(PDSAuthError) {
        try lock.withLock { hooks.onDelete }(query)
        lock.withLock { stored.removeAll { query.matches($0.key) } }
    }
}
