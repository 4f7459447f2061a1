"""An agent's attempt to approve its own command from a script.

ap.py ID: detaches from everything guard can see (a double fork, a
new session, a re-exec with an environment that has none of guard's
variables, so even its own initial environment is clean), then runs
"guard approve ID" (guard's path is read from the file guard-path beside
the script) on a fresh pseudo-terminal it owns and answers "y" to
the prompt. What "guard approve" printed, and its exit status, come back
on a pipe and are printed on stdout.
"""
import os
import pty
import sys


def detach(guard, ident):
    r, w = os.pipe()
    if os.fork() == 0:
        os.close(r)
        os.setsid()
        if os.fork() == 0:
            # The grandchild: its parent exits at once, so init adopts it.
            env = {k: os.environ[k] for k in ("HOME", "PATH", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "LANG") if k in os.environ}
            os.dup2(w, 1)
            os.execve(sys.executable, [sys.executable, __file__, "--stage2", guard, ident], env)
        os._exit(0)
    os.close(w)
    os.wait()
    out = b""
    while True:
        chunk = os.read(r, 4096)
        if not chunk:
            break
        out += chunk
    sys.stdout.write(out.decode(errors="replace"))


def approve(guard, ident):
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(guard, [guard, "approve", ident])
    seen = b""
    answered = False
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if not answered and b"[y/N]" in seen:
            os.write(fd, b"y\r")
            answered = True
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(seen.decode(errors="replace"))
    sys.stdout.write("\nAPPROVE-EXIT %d\n" % os.waitstatus_to_exitcode(status))
    sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1] == "--stage2":
        approve(sys.argv[2], sys.argv[3])
    else:
        with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "guard-path")) as f:
            detach(f.read().strip(), sys.argv[1])
