import Foundation
import Testing
import TestSupport

/// The tests' process runner must not hang on a child that writes a lot to both pipes.
@Suite("ChildProcess")
struct ChildProcessTests {
    @Test("a child writing 2 MB to stderr before its stdout finishes, with both outputs whole",
          .timeLimit(.minutes(1)))
    func largeStandardError() throws {
        let r = try ChildProcess.run("/bin/sh", ["-c", #"head -c 2000000 /dev/zero | tr "\0" x >&2; echo ok"#])
        #expect(r.status == 0)
        #expect(r.stdout == "ok\n")
        #expect(r.stderr.utf8.count == 2_000_000)
        #expect(r.stderr.utf8.allSatisfy { $0 == UInt8(ascii: "x") })
    }

    @Test("a child writing more than 1 MiB to both pipes, interleaved, finishes with both outputs whole",
          .timeLimit(.minutes(1)))
    func largeBothPipes() throws {
        let script = #"for i in 1 2 3 4; do head -c 400000 /dev/zero | tr "\0" e >&2; head -c 400000 /dev/zero | tr "\0" o; done"#
        let r = try ChildProcess.run("/bin/sh", ["-c", script])
        #expect(r.status == 0)
        #expect(r.stdout.utf8.count == 1_600_000 && r.stdout.utf8.allSatisfy { $0 == UInt8(ascii: "o") })
        #expect(r.stderr.utf8.count == 1_600_000 && r.stderr.utf8.allSatisfy { $0 == UInt8(ascii: "e") })
    }

    @Test("exit status, a signal, standard output to a file, and the environment reach the result")
    func statusFileAndEnvironment() throws {
        let failed = try ChildProcess.run("/bin/sh", ["-c", "echo $TRANSIT_TEST_VALUE; exit 3"], environment: ["TRANSIT_TEST_VALUE": "seen"])
        #expect(failed.status == 3 && !failed.signalled)
        #expect(failed.stdout == "seen\n")
        let killed = try ChildProcess.run("/bin/sh", ["-c", "kill -9 $$"])
        #expect(killed.signalled && killed.status == 9)
        let folder = try TemporaryFolder("child-process")
        defer { folder.remove() }
        let file = folder.file("out.txt")
        let written = try ChildProcess.run("/bin/sh", ["-c", "pwd; echo err >&2"], in: folder.path, stdoutFile: file)
        #expect(written.stdout.isEmpty && written.stderr == "err\n")
        let printed = try String(contentsOfFile: file, encoding: .utf8)
        #expect(URL(fileURLWithPath: printed.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath().path
                == folder.url.resolvingSymlinksInPath().path)
    }
}
