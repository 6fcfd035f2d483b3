"""Parts of the build in processes of their own, so that they use the machine's other core and hold only what they are sent.

A worker is a fresh interpreter, not a fork (which would copy the generator's memory) nor multiprocessing's
spawn (which would run the caller's main script again). It starts at once, so its imports overlap the
generator's work, then runs the calls it is sent, in order, each a function of one module.
"""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.connection
import queue
import subprocess
import sys
import threading
import time
import traceback


class TaskFailed(Exception):
    """A call failed in its worker; the message says which and why."""


def serve(fd: int, module: str, warm: str | None) -> None:
    """The body of a worker process: import `module`, warm up, then run each call sent until told to stop."""
    conn = multiprocessing.connection.Connection(fd)
    try:
        namespace = importlib.import_module(module)
        if warm is not None:
            getattr(namespace, warm)()
        while (message := conn.recv()) is not None:
            name, args = message
            start, cpu = time.perf_counter(), time.process_time()
            try:
                value = getattr(namespace, name)(*args)
            except Exception as err:
                # An error meant for the user (a BuildError) is passed on as it is said; any other is a fault,
                # whose traceback is printed here, where it happened.
                if not getattr(err, "for_the_user", False):
                    traceback.print_exc()
                    err = f"{name}: {type(err).__name__}: {err}"
                conn.send((False, str(err), (0.0, 0.0)))
            else:
                conn.send((True, value, (time.perf_counter() - start, time.process_time() - cpu)))
    except EOFError:
        pass  # the build has gone
    finally:
        conn.close()


class Worker:
    """A process of the build's own. `call` queues a call (sent from a thread, so that a large argument
    goes down the pipe while the caller carries on); `result` waits for the next call's result, in order."""

    def __init__(self, module: str, warm: str | None = None, label: str = "worker"):
        self.label = label
        self._conn, child = multiprocessing.Pipe()
        code = f"from generator.workers import serve; serve({child.fileno()}, {module!r}, {warm!r})"
        self._process = subprocess.Popen([sys.executable, "-c", code], pass_fds=(child.fileno(),))
        child.close()
        self._outbox: queue.Queue = queue.Queue()
        self._sender = threading.Thread(target=self._send, daemon=True, name=f"tie-{label}-sender")
        self._sender.start()
        self.seconds = self.cpu_seconds = 0.0  # how long the last call took in its process, and its CPU time

    def _send(self) -> None:
        while True:
            message = self._outbox.get()
            try:
                self._conn.send(message)
            except OSError:
                return  # the process has gone; `result` says so
            if message is None:
                return

    def call(self, name: str, *args) -> None:
        self._outbox.put((name, args))

    def result(self):
        """What the next call returned; raises TaskFailed with what it said if it failed, or if the process stopped."""
        try:
            ok, value, (self.seconds, self.cpu_seconds) = self._conn.recv()
        except (EOFError, OSError):
            raise TaskFailed(f"{self.label}: stopped unexpectedly (exit code {self._process.wait()})") from None
        if not ok:
            raise TaskFailed(value)
        return value

    def close(self) -> None:
        """Let the process finish, once every call has been answered."""
        self._outbox.put(None)
        self._sender.join()
        self._process.wait()
        self._conn.close()

    def stop(self) -> None:
        """End the process now (the build failed elsewhere)."""
        if self._process.poll() is None:
            self._process.terminate()
        self._process.wait()
        self._outbox.put(None)  # the sender, if it waits for more, stops too
        self._conn.close()
