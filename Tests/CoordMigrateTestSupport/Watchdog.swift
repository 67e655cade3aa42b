import Foundation

/// Runs `body` on another thread and waits for it at most `seconds`; returns false
/// if it did not finish. Used only as a watchdog so a blocking bug fails the test
/// instead of hanging the suite; `unblock` is called to release the stuck thread.
public func finishes(within seconds: Double, unblock: () -> Void = {}, _ body: @escaping @Sendable () -> Void) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        body()
        done.signal()
    }
    if done.wait(timeout: .now() + seconds) == .success { return true }
    unblock()
    _ = done.wait(timeout: .now() + 10)
    return false
}
