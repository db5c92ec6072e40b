"""Helpers for the hostile-input tests: CPU time of one request."""

from __future__ import annotations

import gc
import time

# The bound is 1 s of CPU a request on a 2-core machine; assert with margin.
CPU_BUDGET = 1.0
ASSERTED = 0.75 * CPU_BUDGET


def cpu(call, *args, **kwargs):
    """``call(*args, **kwargs)`` and the seconds of CPU it took in this process.

    What the test session has built up so far (apps, indexes and caches of thousands
    of tests) is frozen out of the garbage collector during the call: a full collection
    would otherwise walk it and bill the request for it, which a server, whose start-up
    heap is frozen (kb/serving.py) and whose caches are bounded, does not pay.
    """
    gc.freeze()
    try:
        start = time.process_time()
        result = call(*args, **kwargs)
        return result, time.process_time() - start
    finally:
        gc.unfreeze()
