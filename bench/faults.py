"""Faults to inject into a running stack, for ``make chaos`` and the outage tests.

``TcpProxy`` sits between a process and a server (PostgreSQL, Redis): ``cut``
closes every connection and refuses new ones (the server is gone), ``stall``
keeps the connections but forwards nothing (the server hangs), ``restore``
ends either. ``RedisServer`` is a throwaway ``redis-server`` without
persistence on a port of its own: ``stop`` loses everything queued in it, as a
restarted production Redis without persistence would. ``MailDirBackend`` keeps
every email sent as a file, so another process can count them.

Never point these at shared services: they stop and cut only what they started.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend

MAIL_DIR_VARIABLE = "NEWSROOM_MAIL_DIR"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class TcpProxy:
    """Forward 127.0.0.1:``port`` to ``target``; cut or stall on demand.

    While cut, a new connection is closed as soon as it is accepted (counted
    in ``refused``): to a client, the server went away.
    """

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.refused = 0
        self._cut = False
        self._flowing = threading.Event()
        self._flowing.set()
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=128)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed: shut down
                return
            if self._cut:
                with self._lock:
                    self.refused += 1
                _close(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                _close(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._pairs.append((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(
                    target=self._pipe, args=(source, sink), daemon=True
                ).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self._flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            _close(end)

    def cut(self) -> None:
        """The server is gone: connections drop, new ones are closed at once."""
        self._cut = True
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for end in pair:
                _close(end)

    def stall(self) -> None:
        """The server hangs: connections open, nothing comes back."""
        self._flowing.clear()

    def restore(self) -> None:
        self._cut = False
        self._flowing.set()

    def close(self) -> None:
        self.cut()
        self._flowing.set()
        _close(self._listener)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


class RedisServer:
    """A ``redis-server`` of our own, without persistence."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, *, timeout: float = 10.0) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed")
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Gone, with everything it held (no persistence)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


class MailDirBackend(EmailBackend):
    """Django's file backend writing to ``$NEWSROOM_MAIL_DIR``: each email
    sent, by any process, is kept there to be counted (``emails_sent``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_path", os.environ[MAIL_DIR_VARIABLE])
        super().__init__(**kwargs)


def emails_sent(directory: Path, *, to: str | None = None) -> int:
    """How many emails ``MailDirBackend`` wrote to ``directory`` (to ``to``)."""
    count = 0
    for path in Path(directory).glob("*.log"):
        for line in path.read_text().splitlines():
            if line.startswith("To: ") and (to is None or to in line):
                count += 1
    return count
