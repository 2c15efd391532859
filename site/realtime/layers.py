"""The in-process channel layer (development without Redis, the tests, one process).

Channels' ``InMemoryChannelLayer`` sweeps every channel for expired messages on every
``receive`` and ``group_send``: with 1,000 sockets one event cost a million checks, about
0.3 ms per socket (profiled with pyinstrument, docs/performance.md, "Fan-out to 1,000
sockets"). Here the sweep runs at most once a second; messages still expire after
``expiry`` (60 s), only noticed up to a second later.
"""

import time

from channels.layers import InMemoryChannelLayer as ChannelsInMemoryChannelLayer


class InMemoryChannelLayer(ChannelsInMemoryChannelLayer):
    sweep_every = 1.0
    _swept = float("-inf")

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept < self.sweep_every:
            return
        self._swept = now
        super()._clean_expired()
