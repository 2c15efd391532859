"""A small SMTP receiver on 127.0.0.1 for the drills: it records every message it accepts.

Plain SMTP (no TLS, no authentication), enough for Django's SMTP backend. A message counts as
delivered when the sink answers ``250`` to its data, as a real mail server would. ``hold()``
makes new sessions wait after the ``DATA`` command, before the message is sent, so a drill can
kill the sender while it is in the middle of a delivery that has not happened yet.
"""

from __future__ import annotations

import contextlib
import re
import socketserver
import threading
import time
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser


@dataclass
class Received:
    at: float  # time.monotonic() when the sink accepted it
    delivery: str  # the X-PSM-Delivery header ("" if absent)
    recipients: tuple[str, ...]
    subject: str


class _Session(socketserver.StreamRequestHandler):
    timeout = 120

    def handle(self) -> None:
        # The sender was killed or hung up: whatever it had not finished is not delivered.
        with contextlib.suppress(OSError):
            self._converse(self.server.sink)  # type: ignore[attr-defined]

    def _converse(self, sink: SmtpSink) -> None:
        self._reply(220, "psm-drill-sink ESMTP")
        recipients: list[str] = []
        while True:
            line = self.rfile.readline(4096)
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO", "NOOP"):
                self._greet_or_ok(verb)
            elif verb in ("MAIL", "RSET"):
                recipients = []
                self._reply(250, "OK")
            elif verb == "RCPT":
                address = re.search(r"<([^>]*)>", command)
                recipients.append(address.group(1) if address else command)
                self._reply(250, "OK")
            elif verb == "DATA":
                if not sink.wait_if_held():
                    return
                self._reply(354, "End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                if data is None:
                    return  # the sender went away before the end: nothing was delivered
                sink.record(data, recipients)
                self._reply(250, "OK: queued")
                recipients = []
            elif verb == "QUIT":
                self._reply(221, "Bye")
                return
            else:
                self._reply(502, "Command not implemented")

    def _greet_or_ok(self, verb: str) -> None:
        if verb == "EHLO":
            self.wfile.write(b"250-psm-drill-sink\r\n250 8BITMIME\r\n")
        else:
            self._reply(250, "OK")

    def _reply(self, code: int, text: str) -> None:
        self.wfile.write(f"{code} {text}\r\n".encode())

    def _read_data(self) -> bytes | None:
        lines = []
        while True:
            line = self.rfile.readline(1_000_000)
            if not line:
                return None
            if line in (b".\r\n", b".\n"):
                return b"".join(lines)
            lines.append(line[1:] if line.startswith(b"..") else line)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """``with SmtpSink() as sink:`` an SMTP server on a free loopback port, in a thread."""

    def __init__(self, port: int = 0):
        self._server = _Server(("127.0.0.1", port), _Session)
        self._server.sink = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self.messages: list[Received] = []
        self._lock = threading.Lock()
        self._open = threading.Event()
        self._open.set()
        self.held = 0  # sessions waiting at DATA right now
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    # ----------------------------------------------------------------- holding deliveries
    def hold(self) -> None:
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    def wait_if_held(self) -> bool:
        if self._open.is_set():
            return True
        with self._lock:
            self.held += 1
        try:
            return self._open.wait(timeout=120)
        finally:
            with self._lock:
                self.held -= 1

    # ----------------------------------------------------------------- what arrived
    def record(self, data: bytes, recipients: list[str]) -> None:
        message = BytesParser(policy=policy.default).parsebytes(data)
        item = Received(
            at=time.monotonic(),
            delivery=str(message.get("X-PSM-Delivery", "")),
            recipients=tuple(recipients),
            subject=str(message.get("Subject", "")),
        )
        with self._lock:
            self.messages.append(item)

    def snapshot(self) -> list[Received]:
        with self._lock:
            return list(self.messages)

    def count(self) -> int:
        with self._lock:
            return len(self.messages)
