"""Pagefind: one search index made by Pagefind's service, fed documents while the rest of the build goes on.

``pagefind --service`` speaks base64-encoded JSON messages, each followed by
a comma, on stdin and stdout, and answers them one at a time, in order. An
:class:`Indexing` starts the service, and a thread of its own hands it the
documents, in the order given, then has it write the index into the site
(:meth:`Indexing.write_into`), all while the pages are rendered: the service
is a process of its own, working on another core.

Pagefind 1.5.2 acknowledges WriteFiles before its writes have reached the
disk (fixed upstream after it, in fab688b), and exits at once when stdin
closes, which left files cut short. A message that is not base64 stops its
reader instead: it then finishes what it was sent, its runtime completes the
writes as it shuts down, and it exits; its end of stdout closing tells that
every file is whole.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

#: Documents sent to Pagefind ahead of its answers: enough to keep it busy, few enough to hold little memory.
WINDOW = 64


class SearchIndexError(RuntimeError):
    """The search indexer failed; the build stops and output/ stays as it was."""


class Indexing:
    """A Pagefind service indexing documents (URL, HTML) as they are handed over, in that order.

    Use as a context manager: leaving it without :meth:`wait` (a failed
    build) stops the service and its thread.
    """

    def __init__(self, pages: Iterable[tuple[str, str]]):
        from pagefind_bin import get_executable

        self._errors: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._service = subprocess.Popen(
            [str(get_executable()), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors
        )
        assert self._service.stdin is not None and self._service.stdout is not None
        self._stdin, self._stdout = self._service.stdin, self._service.stdout
        self._unread = b""
        self._index: Any = None  # the service's id of the index, once it has made it
        self._number = 0
        self._waiting = 0
        self._failure: BaseException | None = None
        self._stop = threading.Event()
        self._ready = threading.Event()  # set by write_into: where to write, once the documents are in
        self._target: Path | None = None
        self._written = False
        self._feeder = threading.Thread(target=self._feed, args=(pages,), name="pagefind", daemon=True)
        self._feeder.start()

    def __enter__(self) -> Indexing:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def write_into(self, site_dir: Path) -> None:
        """Have the index written into ``site_dir/pagefind`` once every document is in; returns at once.

        The service goes on in its own process while this one renders the
        pages into the same folder; :meth:`wait` waits for it to be done.
        """
        self._target = site_dir
        self._ready.set()

    def wait(self) -> None:
        """Wait until the index is written, whole; raise what went wrong."""
        self._feeder.join()
        if self._failure is not None:
            raise self._failure
        if not self._written:
            raise SearchIndexError("the index was never written: write_into was not called")
        self.close()

    def close(self) -> None:
        """Stop the service (if it is still running) and its thread; safe to call more than once."""
        self._stop.set()
        if self._service.poll() is None:
            self._service.kill()
        for stream in (self._stdin, self._stdout):
            with contextlib.suppress(OSError):
                stream.close()
        self._service.wait()
        if self._feeder is not threading.current_thread():
            self._feeder.join()
        self._errors.close()

    # --- the thread ------------------------------------------------------------------------

    def _feed(self, pages: Iterable[tuple[str, str]]) -> None:
        try:
            self._ask({"type": "NewIndex", "config": None})
            self._index = self._answer()["index_id"]
            for url, html in pages:
                if self._stop.is_set():
                    return
                self._ask({"type": "AddFile", "index_id": self._index, "file_path": None, "url": url, "file_contents": html})
                if self._waiting >= WINDOW:
                    self._answer()
            while self._waiting:
                self._answer()
            while not self._ready.wait(0.1):
                if self._stop.is_set():
                    return
            assert self._target is not None
            self._write(self._target)
        except BaseException as exc:  # noqa: BLE001 - handed to wait(), in the building thread
            self._failure = exc if not self._stop.is_set() else None

    def _write(self, site_dir: Path) -> None:
        self._ask({"type": "WriteFiles", "index_id": self._index, "output_path": str(site_dir / "pagefind")})
        while self._waiting:
            self._answer()
        self._send(b"!")  # not base64: the service stops reading, finishes writing and exits
        try:
            self._stdin.close()
        except BrokenPipeError:
            raise self._stopped() from None
        while os.read(self._stdout.fileno(), 1 << 16):  # its complaint about "!", then empty answers until it exits
            pass
        if self._service.wait() != 0:
            raise self._stopped()
        self._written = True

    # --- the protocol -----------------------------------------------------------------------

    def _ask(self, payload: dict[str, Any]) -> None:
        message = json.dumps({"message_id": self._number, "payload": payload}).encode()
        self._number += 1
        self._waiting += 1
        self._send(base64.b64encode(message))

    def _send(self, message: bytes) -> None:
        try:
            self._stdin.write(message + b",")
        except (BrokenPipeError, ValueError):
            raise self._stopped() from None

    def _answer(self) -> dict[str, Any]:
        while b"," not in self._unread:
            try:
                self._stdin.flush()
            except (BrokenPipeError, ValueError):
                raise self._stopped() from None
            chunk = os.read(self._stdout.fileno(), 1 << 16)
            if not chunk:
                raise self._stopped()
            self._unread += chunk
        message, _, self._unread = self._unread.partition(b",")
        self._waiting -= 1
        payload: dict[str, Any] = json.loads(base64.b64decode(message))["payload"]
        if payload["type"] == "Error":
            raise SearchIndexError(f"pagefind failed: {payload['message']}")
        return payload

    def _stopped(self) -> SearchIndexError:
        with contextlib.suppress(OSError):
            self._stdin.close()
        self._service.wait()
        self._errors.seek(0)
        return SearchIndexError(f"pagefind stopped: {self._errors.read().decode('utf-8', 'replace').strip() or 'no message'}")
