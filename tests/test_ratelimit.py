"""The database rate store shared by several workers, on SQLite and PostgreSQL.

Each "worker" is a Runtime of its own (its own engine and connections) over the
same database, as two gunicorn workers would be.
"""

from __future__ import annotations

import threading

from kb.runtime import Runtime
from kb.services.contributions.ratelimit import DatabaseStore, Rate, RateLimiter

CONTRIBUTION = Rate(2, 3600)
LOGIN = Rate(3, 60)


def workers(runtime: Runtime, clock):
    other = Runtime.open(runtime.settings)
    horizon = max(CONTRIBUTION.window, LOGIN.window)
    return other, [RateLimiter(DatabaseStore(rt.session, horizon), clock=clock) for rt in (runtime, other)]


def test_a_login_on_another_worker_never_resets_the_contribution_count(runtime):
    now = [1000.0]
    other, (first, second) = workers(runtime, lambda: now[0])
    try:
        assert first.hit("contribution:ip", CONTRIBUTION).allowed
        now[0] += 100
        assert first.hit("contribution:ip", CONTRIBUTION).allowed
        now[0] += 100
        assert not first.hit("contribution:ip", CONTRIBUTION).allowed
        # A worker that has seen only logins (a one-minute window) counts one.
        assert second.hit("login:ip", LOGIN).allowed
        now[0] += 1
        assert not second.hit("contribution:ip", CONTRIBUTION).allowed
        assert not first.hit("contribution:ip", CONTRIBUTION).allowed
        # Logins interleaved on both workers are counted together, apart from contributions.
        assert first.hit("login:ip", LOGIN).allowed
        assert not second.hit("contribution:ip", CONTRIBUTION).allowed
        assert second.hit("login:ip", LOGIN).allowed
        assert not first.hit("login:ip", LOGIN).allowed
        # Each window slides on its own: logins free again after a minute, not contributions.
        now[0] += 61
        assert second.hit("login:ip", LOGIN).allowed
        assert not first.hit("contribution:ip", CONTRIBUTION).allowed
        # The first contribution leaves the hour's window: one slot is free, not two.
        now[0] = 1000.0 + 3600 + 1
        assert second.hit("contribution:ip", CONTRIBUTION).allowed
        assert not first.hit("contribution:ip", CONTRIBUTION).allowed
    finally:
        other.close()


def test_simultaneous_hits_on_two_workers_never_pass_the_limit(runtime):
    limit, threads_per_worker, tries = 7, 4, 5
    other, limiters = workers(runtime, clock=__import__("time").time)
    allowed: list[bool] = []
    start = threading.Barrier(2 * threads_per_worker)

    def hammer(limiter: RateLimiter) -> None:
        start.wait()
        for _ in range(tries):
            verdict = limiter.hit("contribution:crowd", Rate(limit, 3600))
            allowed.append(verdict.allowed)

    try:
        threads = [threading.Thread(target=hammer, args=(limiter,))
                   for limiter in limiters for _ in range(threads_per_worker)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert len(allowed) == 2 * threads_per_worker * tries
        assert allowed.count(True) == limit
    finally:
        other.close()
