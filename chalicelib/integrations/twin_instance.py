"""The one active instance of an offline twin (Stripe's, Google's) in this process: made from the
settings on first use, replaced by a fresh one for each test. Threads share it (the twin servers of
`make run` answer from several), so making and replacing it is locked."""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Active(Generic[T]):
    def __init__(self, make: Callable[[], T]) -> None:
        self._make = make
        self._instance: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        """The active instance, made on first use."""
        with self._lock:
            if self._instance is None:
                self._instance = self._make()
            return self._instance

    def reset(self) -> T:
        """A fresh instance, now the active one."""
        with self._lock:
            self._instance = self._make()
            return self._instance
