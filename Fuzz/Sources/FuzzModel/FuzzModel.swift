// LP and MPS model text → the Solver's model reader (GLPK's glp_read_lp / glp_read_mps through
// the GLPK guard). GLPK aborts the process on an internal error unless the guard catches it:
// the guard must hold for every input. Byte 0 picks the format; the file goes to /dev/shm.
import FuzzSupport
import Solver
#if canImport(Glibc)
import Glibc
#endif

/// The reader's scratch file goes to TMPDIR: keep it in memory too.
let prepared: Bool = {
    setenv("TMPDIR", scratchFolder, 1)
    return true
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0, prepared else { return 0 }
    let path = scratchFolder + (data[0] & 1 == 0 ? "/model.lp" : "/model.mps")
    guard writeScratch(path, inputBytes(data + 1, size - 1)) else { setupFailed("cannot write \(path)") }
    // As a model the CLI would go on to use: validated, and written back when valid.
    if let model = try? GLPK.read(path), (try? model.validate()) != nil {
        try? GLPK.write(model, to: scratchFolder + "/written.lp")
    }
    return 0
}
