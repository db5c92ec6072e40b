"""Helpers for the hostile-input tests: CPU time of one request."""

from __future__ import annotations

import time

# The bound is 1 s of CPU a request on a 2-core machine; assert with margin.
CPU_BUDGET = 1.0
ASSERTED = 0.75 * CPU_BUDGET


def cpu(call, *args, **kwargs):
    """``call(*args, **kwargs)`` and the seconds of CPU it took in this process."""
    start = time.process_time()
    result = call(*args, **kwargs)
    return result, time.process_time() - start
