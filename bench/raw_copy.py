"""Raw passthrough (the ceiling): a plain aiokafka consumer -> producer copying every message of SRC to DST.

    python -m bench.raw_copy --bootstrap HOST:PORT --src TOPIC --dst TOPIC

Partitions are assigned, not joined (no group), and read from the beginning; the producer batches
(linger 5 ms, 256 KB batches). Prints READY once assigned; runs until SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def copy(bootstrap: str, src: str, dst: str, linger_ms: int, batch_bytes: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=linger_ms, max_batch_size=batch_bytes)
    await consumer.start()
    await producer.start()
    try:
        tps = [TopicPartition(src, p) for p in sorted(consumer.partitions_for_topic(src) or ())]
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        print("READY", flush=True)
        while not stop.is_set():
            batches = await consumer.getmany(timeout_ms=100)
            for messages in batches.values():
                for m in messages:
                    await producer.send(dst, value=m.value, key=m.key)
    finally:
        await producer.stop()
        await consumer.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--src", required=True)
    parser.add_argument("--dst", required=True)
    parser.add_argument("--linger-ms", type=int, default=5)
    parser.add_argument("--batch-bytes", type=int, default=256 * 1024)
    args = parser.parse_args()
    asyncio.run(copy(args.bootstrap, args.src, args.dst, args.linger_ms, args.batch_bytes))


if __name__ == "__main__":
    main()
