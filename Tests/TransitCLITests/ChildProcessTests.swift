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

    @Test("both ends of the runner's pipes are closed on exec")
    func pipesAreCloseOnExec() throws {
        let pipe = try ChildProcess.makePipe()
        for handle in [pipe.read, pipe.write] {
            let flags = fcntl(handle.fileDescriptor, F_GETFD)
            #expect(flags >= 0 && flags & FD_CLOEXEC != 0)
        }
    }

    /// A child another thread starts while a pipe is open (here with a bare `posix_spawn`, which
    /// closes nothing, as Foundation's `Process` closes only the descriptors it saw) must not hold
    /// the pipe's write end.
    @Test("a child started elsewhere while a pipe is open does not keep the pipe's reader waiting",
          .timeLimit(.minutes(1)))
    func pipeNotInheritedByAnotherChild() throws {
        let pipe = try ChildProcess.makePipe()
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("20"), nil]
        defer { for p in argv { free(p) } }
        let env: [UnsafeMutablePointer<CChar>?] = [nil]
        // Required, not expected: the cleanup below must never run with pid 0 (kill(0, …) would
        // signal the whole process group, the test runner included).
        try #require(posix_spawn(&pid, "/bin/sleep", nil, nil, argv, env) == 0 && pid > 0)
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try pipe.write.close()
        // End of file at once: the sleeping child holds no write end. With an inheritable pipe
        // the read would wait the 20 s until it exits.
        #expect(pipe.read.readDataToEndOfFile().isEmpty)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == 0, "the other child is still running when the read ends")
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
