#!/usr/bin/env python3
"""cli_workers.py SVCSIM SOURCE_DIR plain|tls: svcsim worker and --workers as a user runs them
(docs/distributed.md), on loopback. plain:
- a sweep and a replicated compare through three workers (--no-local) give the report of a
  local run byte for byte, wall_time_s aside;
- one worker killed mid-sweep: the report is still the same, and the coordinator says it lost it;
- a worker 150 ms away (through a proxy that delays every byte): the same report;
- a coordinator killed mid-study: its worker says so and drops the study;
- a coordinator with the wrong token is refused (exit 1 under --no-local), and the worker's log
  never shows the token;
- SIGTERM: a worker exits 0 at once.
tls:
- a worker and a coordinator with certificates of one authority give the same report; a
  coordinator without TLS, or with a certificate of another authority, is refused at once.
Every process has a deadline, so a hang fails the test instead of CI.
"""
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

svcsim, source, part = sys.argv[1], sys.argv[2], sys.argv[3]
scenario = os.path.join(source, "scenarios", "user-signup.yaml")
DEADLINE = 60  # seconds, for any one command


class Worker:
    """svcsim worker on a free loopback port; its stderr kept line by line."""

    def __init__(self, *args, token="s3cret", jobs=1):
        env = dict(os.environ, SVCSIM_TOKEN=token)
        self.proc = subprocess.Popen([svcsim, "worker", "--port", "0", "--jobs", str(jobs), *args],
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.port = None
        end = time.time() + 20
        while self.port is None and time.time() < end:
            for line in list(self.lines):
                m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
                if m:
                    self.port = int(m.group(1))
            time.sleep(0.02)
        if self.port is None:
            self.proc.kill()
            raise SystemExit("worker did not start listening:\n" + "".join(self.lines))

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line)

    def where(self):
        return f"127.0.0.1:{self.port}"

    def log(self):
        return "".join(self.lines)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise SystemExit("a worker did not stop within 10 s of SIGTERM")


class DelayProxy:
    """Forwards a free loopback port to `target`, every byte `delay` seconds late each way: a
    worker far away."""

    def __init__(self, target, delay):
        self.target, self.delay = target, delay
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.server.accept()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        time.sleep(self.delay)  # connecting takes a round trip too
        upstream = socket.create_connection(("127.0.0.1", self.target))
        for a, b in ((client, upstream), (upstream, client)):
            chunks = queue.Queue()
            threading.Thread(target=self._read, args=(a, chunks), daemon=True).start()
            threading.Thread(target=self._write, args=(b, chunks), daemon=True).start()

    def _read(self, s, chunks):
        while True:
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            chunks.put((time.time() + self.delay, data))
            if not data:
                return

    def _write(self, s, chunks):
        while True:
            at, data = chunks.get()
            time.sleep(max(0.0, at - time.time()))
            try:
                if not data:
                    s.shutdown(socket.SHUT_WR)
                    return
                s.sendall(data)
            except OSError:
                return


def svcsim_run(*args, token="s3cret", check=True):
    env = dict(os.environ, SVCSIM_TOKEN=token)
    r = subprocess.run([svcsim, *args], capture_output=True, text=True, timeout=DEADLINE, env=env)
    if check and r.returncode != 0:
        raise SystemExit(f"svcsim {' '.join(args)} failed ({r.returncode}):\n{r.stderr}")
    return r


def without_wall_time(text):
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if not k.startswith("wall_time_s")}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    return json.dumps(strip(json.loads(text)), sort_keys=True)


failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)
        if detail:
            print(detail)


def plain():
    workers = [Worker(), Worker(), Worker(jobs=2)]
    try:
        listed = ",".join(w.where() for w in workers)
        sweep = ["sweep", scenario, "--set", "workloads.signup.rate=100/s..600/s step 100/s",
                 "--set", "duration=20s", "--replications", "2", "--format", "json"]
        local = svcsim_run(*sweep, "--jobs", "2").stdout
        remote = svcsim_run(*sweep, "--workers", listed, "--no-local")
        check("sweep through 3 workers (--no-local) = local sweep", without_wall_time(local) ==
              without_wall_time(remote.stdout))
        done = re.search(r"runs done: here 0, (.*)", remote.stderr)
        check("each worker ran some of the sweep's runs", done and all(
            re.search(re.escape(w.where()) + r" [1-9]", done.group(1)) for w in workers),
            remote.stderr)

        compare = ["compare", scenario, "--replications", "3", "--set", "duration=20s",
                   "--format", "json"]
        check("replicated compare through 3 workers, and here, = local compare",
              without_wall_time(svcsim_run(*compare).stdout) ==
              without_wall_time(svcsim_run(*compare, "--workers", listed, "--jobs", "1").stdout))

        # One worker killed while the sweep runs: the others and this machine finish its runs.
        # Killed once it has the study: the coordinator sends the first runs with it (after
        # " connected" alone, a loaded machine may kill it before it is given any run).
        studied = workers[0].log().count("a study from")
        coordinator = subprocess.Popen([svcsim, *sweep, "--workers", listed, "--jobs", "1"],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       env=dict(os.environ, SVCSIM_TOKEN="s3cret"))
        end = time.time() + 20
        while workers[0].log().count("a study from") == studied and time.time() < end:
            time.sleep(0.005)
        workers[0].proc.kill()  # its first runs are out
        try:
            out, err = coordinator.communicate(timeout=DEADLINE)
        except subprocess.TimeoutExpired:
            coordinator.kill()
            raise SystemExit("the sweep did not end within a minute of a worker's death")
        check("sweep with a worker killed mid-way exits 0", coordinator.returncode == 0, err)
        check("... and its report = the local sweep", without_wall_time(out) == without_wall_time(local))
        check("... and it says the worker was lost with runs in flight, which ran elsewhere",
              re.search("worker " + re.escape(workers[0].where()) +
                        r" lost \(its connection was lost\); [1-9]\d* of its runs go to the others "
                        r"and this machine", err) is not None, err)

        # A worker far away: the handshake's answer comes after CAF's first heartbeat tick.
        far = DelayProxy(workers[1].port, 0.15)
        check("a worker 150 ms away: the same compare",
              without_wall_time(svcsim_run(*compare, "--workers", f"127.0.0.1:{far.port}",
                                           "--no-local").stdout) ==
              without_wall_time(svcsim_run(*compare).stdout))

        # A coordinator killed mid-study: the worker drops its study and says so.
        studies = workers[1].log().count("a study from")
        doomed = subprocess.Popen([svcsim, *sweep, "--workers", workers[1].where(), "--no-local"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  env=dict(os.environ, SVCSIM_TOKEN="s3cret"))
        end = time.time() + 20
        while workers[1].log().count("a study from") == studies and time.time() < end:
            time.sleep(0.005)
        doomed.kill()  # the worker holds its study
        doomed.wait(timeout=10)
        end = time.time() + 10
        while "left during a study" not in workers[1].log() and time.time() < end:
            time.sleep(0.05)
        check("a coordinator killed mid-study: its worker drops the study and says so",
              "left during a study; its runs here are dropped" in workers[1].log(),
              workers[1].log())

        # A wrong token: refused, said on both sides, the token never logged.
        wrong = svcsim_run(*sweep, "--workers", workers[1].where(), "--no-local", token="guess-me",
                           check=False)
        check("a wrong token: exit 1 under --no-local", wrong.returncode == 1, wrong.stderr)
        check("... the coordinator says the worker refused it",
              f"worker {workers[1].where()} refused us: wrong token" in wrong.stderr, wrong.stderr)
        time.sleep(0.2)
        check("... the worker logs the refusal without the token",
              "wrong token" in workers[1].log() and "guess-me" not in workers[1].log(),
              workers[1].log())
    finally:
        codes = [w.stop() for w in workers[1:]]
    check("SIGTERM: workers exit 0", codes == [0, 0], str(codes))


def certificates(folder):
    """A CA, and from it a worker's and a coordinator's certificate; and one of another CA."""
    def openssl(*args):
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True, timeout=60)
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca + ".key", "-out",
                ca + ".crt", "-days", "2", "-subj", "/CN=svcsim test " + ca)
    for node, ca in (("worker", "ca"), ("coordinator", "ca"), ("stranger", "other-ca")):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", node + ".key", "-out",
                node + ".csr", "-subj", "/CN=" + node)
        openssl("x509", "-req", "-in", node + ".csr", "-CA", ca + ".crt", "-CAkey", ca + ".key",
                "-CAcreateserial", "-out", node + ".crt", "-days", "2")
    return lambda node, ca="ca": ["--tls-cert", os.path.join(folder, node + ".crt"), "--tls-key",
                                  os.path.join(folder, node + ".key"), "--tls-ca",
                                  os.path.join(folder, ca + ".crt")]


def tls():
    with tempfile.TemporaryDirectory() as folder:
        tls = certificates(folder)
        worker = Worker(*tls("worker"))
        try:
            small = ["compare", scenario, "--replications", "2", "--format", "json"]
            through = svcsim_run(*small, "--workers", worker.where(), "--no-local", *tls("coordinator"))
            check("TLS: a compare through a TLS worker = the local compare",
                  without_wall_time(through.stdout) == without_wall_time(svcsim_run(*small).stdout))
            for what, options in (("without TLS", []),
                                  ("with another authority's certificate", tls("stranger", "other-ca"))):
                r = svcsim_run(*small, "--workers", worker.where(), "--no-local", *options, check=False)
                check(f"TLS: a coordinator {what} is refused (exit 1)", r.returncode == 1 and
                      f"worker {worker.where()} cannot be reached" in r.stderr, r.stderr)
        finally:
            check("TLS: the worker exits 0 on SIGTERM", worker.stop() == 0)


{"plain": plain, "tls": tls}[part]()
sys.exit(1 if failures else 0)
