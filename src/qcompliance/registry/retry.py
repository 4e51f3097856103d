"""When to try a request again, and how long to wait: tenacity, with the registry's policy.

A failed attempt that may be retried raises :class:`Retry` (a 5xx or 429 answer, a connection
that failed, broke off or timed out); anything else ends at once. The wait doubles from
``backoff`` (0.5 s, 1 s, 2 s ...), is lengthened to the server's ``Retry-After`` seconds when
that is longer, and never exceeds 30 s. ``sleep`` is injectable, so tests wait no time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

__all__ = ["MAX_WAIT", "Retry", "async_retrying", "retrying"]

MAX_WAIT = 30.0
"""The longest wait between two attempts, whatever the server asks."""


class Retry(Exception):
    """A failed attempt that may be tried again; ``message`` says what happened."""

    def __init__(self, message: str, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _wait(backoff: float) -> Callable[[RetryCallState], float]:
    exponential = wait_exponential(multiplier=max(0.0, backoff), max=MAX_WAIT)

    def wait(state: RetryCallState) -> float:
        delay: float = exponential(state)
        failure = state.outcome.exception() if state.outcome is not None else None
        asked = getattr(failure, "retry_after", None)
        if isinstance(asked, str) and asked.strip().isdigit():
            delay = max(delay, float(asked.strip()))
        return float(min(MAX_WAIT, delay))

    return wait


def retrying(retries: int, backoff: float, sleep: Callable[[float], None]) -> Retrying:
    """Up to ``retries`` more attempts after the first, on :class:`Retry` only; the last
    Retry is raised again when they are used up."""
    return Retrying(stop=stop_after_attempt(max(0, retries) + 1), wait=_wait(backoff),
                    retry=retry_if_exception_type(Retry), sleep=sleep, reraise=True)


def async_retrying(retries: int, backoff: float, sleep: Callable[[float], Awaitable[None]]
                   ) -> AsyncRetrying:
    """:func:`retrying` for coroutines."""
    return AsyncRetrying(stop=stop_after_attempt(max(0, retries) + 1), wait=_wait(backoff),
                         retry=retry_if_exception_type(Retry), sleep=sleep, reraise=True)
