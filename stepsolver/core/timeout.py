"""Wall-clock bounds for SymPy calls that can run away, nestable.

``with time_limit(2) as limit: …`` stops the block after 2 s and sets ``limit.expired``;
the expiry of an *enclosing* limit is never swallowed by an inner one, it propagates to the
block that set it. Off the main thread (no signals there) the limits do nothing.
"""

from __future__ import annotations

import signal
import threading
import time
from types import TracebackType


class TimeLimitExceeded(Exception):
    def __init__(self, owner: time_limit):
        super().__init__(f"time limit of {owner.seconds} s exceeded")
        self.owner = owner


_active: list[time_limit] = []


def _expire(signum: int, frame: object) -> None:
    now = time.monotonic()
    # the outermost limit that has run out owns the expiry
    owner = next((limit for limit in _active if limit.deadline <= now + 1e-3), _active[-1])
    raise TimeLimitExceeded(owner)


def _arm() -> None:
    if _active:
        remaining = min(limit.deadline for limit in _active) - time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-4))
    else:
        signal.setitimer(signal.ITIMER_REAL, 0)


class time_limit:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = 0.0
        self.expired = False
        self._enabled = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")

    def __enter__(self) -> time_limit:
        if self._enabled:
            self.deadline = time.monotonic() + self.seconds
            if not _active:
                signal.signal(signal.SIGALRM, _expire)
            _active.append(self)
            _arm()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> bool:
        if not self._enabled:
            return False
        signal.setitimer(signal.ITIMER_REAL, 0)
        _active.remove(self)
        if _active and min(limit.deadline for limit in _active) <= time.monotonic():
            outer = next(limit for limit in _active if limit.deadline <= time.monotonic())
            raise TimeLimitExceeded(outer)
        _arm()
        if isinstance(error, TimeLimitExceeded) and error.owner is self:
            self.expired = True
            return True
        return False
