"""faust's aiokafka transport with the consumer's fetch wait made a setting, and a lean monitor.

faust hard-codes ``fetch_max_wait_ms=1500`` for its stream consumer. A broker that holds an empty fetch
for the whole wait instead of answering when data arrives (Tansu does) then adds up to 1.5 s per hop,
and the pipeline has two hops (articles -> reports -> alerts). Everything else is faust's own.
"""

from __future__ import annotations

from time import monotonic
from typing import Any

import faust
from faust import tables
from faust.sensors.monitor import Monitor
from faust.transport.drivers import aiokafka as driver
from faust.types import TP, CollectionT, EventT, Message, PendingMessage, ProducerT, RecordMetadata, StreamT


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


class LeanMonitor(Monitor):
    """faust's monitor without its per-message bookkeeping (counters, timings, per-stream names).

    Our own metrics (streams/metrics.py) count what the agents read and write, and faust's web stats
    pages that would show its counters are off. The stream's inbound time is still kept: faust's consumer
    reads it to log a stream that stopped processing.
    """

    def on_message_in(self, tp: TP, offset: int, message: Message) -> None:
        return None

    def on_stream_event_in(self, tp: TP, offset: int, stream: StreamT, event: EventT) -> dict[str, Any] | None:
        self.stream_inbound_time[tp] = monotonic()
        return None

    def on_stream_event_out(
        self, tp: TP, offset: int, stream: StreamT, event: EventT, state: dict[str, Any] | None = None
    ) -> None:
        return None

    def on_message_out(self, tp: TP, offset: int, message: Message) -> None:
        return None

    def on_send_initiated(
        self, producer: ProducerT, topic: str, message: PendingMessage, keysize: int, valsize: int
    ) -> Any:
        return None

    def on_send_completed(self, producer: ProducerT, state: Any, metadata: RecordMetadata) -> None:
        return None

    def on_table_get(self, table: CollectionT, key: Any) -> None:
        return None

    def on_table_set(self, table: CollectionT, key: Any, value: Any) -> None:
        return None

    def on_table_del(self, table: CollectionT, key: Any) -> None:
        return None


class TableManager(tables.TableManager):
    """faust's table manager without its one-second pause at start.

    faust waits a second for tables declared after the app started; ours are all declared by
    ``create_app`` before it starts, so the pause only delays the first join of the group.
    """

    async def on_start(self) -> None:
        if not self.should_stop:
            await self._update_channels()
            await self.recovery.start()
