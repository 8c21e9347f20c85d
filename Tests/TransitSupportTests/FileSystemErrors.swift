import Foundation
import TransitSupport

/// The `FileSystemError` `body` throws; `nil` when it succeeds or throws something else.
func fileSystemError<T>(_ body: () throws -> T) -> FileSystemError? {
    do {
        _ = try body()
        return nil
    } catch let error as FileSystemError {
        return error
    } catch {
        return nil
    }
}
