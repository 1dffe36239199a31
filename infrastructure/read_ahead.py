"""Reading ahead in a thread: the database prepares and sends the next page of rows while
the caller works on this one (psycopg waits on the socket without holding the GIL)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def read_ahead(pages: Callable[[], Iterator[T]], depth: int = 2,
               name: str = "read-ahead") -> Iterator[T]:
    """The pages of ``pages()``, which runs in a thread at most ``depth`` pages ahead. Its
    errors are raised here; leaving the loop early stops it at its next page."""
    ready: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for page in pages():
                if not put(page):
                    return
            put(_END)
        except BaseException as error:  # handed to the reader, which raises it
            put(_Failed(error))

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        while True:
            page = ready.get()
            if page is _END:
                return
            if isinstance(page, _Failed):
                raise page.error
            yield page  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
