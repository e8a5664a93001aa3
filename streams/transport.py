"""faust's aiokafka transport with the consumer's fetch wait made a setting.

faust hard-codes ``fetch_max_wait_ms=1500`` for its stream consumer. A broker that holds an empty fetch
for the whole wait instead of answering when data arrives (Tansu does) then adds up to 1.5 s per hop,
and the pipeline has two hops (articles -> reports -> alerts). Everything else is faust's own.
"""

from __future__ import annotations

from typing import Any

import faust
from faust.transport.drivers import aiokafka as driver


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        wait_ms = getattr(self.app, "fetch_max_wait_ms", None)
        if wait_ms is not None:
            # read by AIOKafkaConsumer.start() when it builds its fetcher
            consumer._fetch_max_wait_ms = int(wait_ms)
        return consumer


class _Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Transport(driver.Transport):
    Consumer = _Consumer


class App(faust.App):
    """faust.App whose stream consumer waits at most ``fetch_max_wait_ms`` for a fetch to fill."""

    fetch_max_wait_ms: int | None = None

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)
