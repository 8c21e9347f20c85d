// CBytes.swift: the C library's byte search and number parsing, for the CSV scanner.
//
// Clock, trace, standard error, files and threads live in the package's TransitSupport module;
// these two helpers stay here because only the GTFS scanner and parser use them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The offset of the first byte equal to `byte` in the `n` bytes at `p`.
@inline(__always)
func memchrByte(_ p: UnsafePointer<UInt8>, _ byte: UInt8, _ n: Int) -> Int? {
    guard n > 0, let hit = memchr(p, Int32(byte), n) else { return nil }
    return UnsafeRawPointer(hit) - UnsafeRawPointer(p)
}

/// `strtod` on a NUL-terminated buffer.
func cStrtod(_ p: UnsafePointer<CChar>) -> Double {
    strtod(p, nil)
}
