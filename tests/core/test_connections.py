"""Pooled connections given back while a thread waits for another (``core.connections``): a
thread waiting for a value another thread loads (``core.kept``), or for its batch to be
written (``consultations.quick.writer``), holds no pooled connection meanwhile."""

import threading
import time
from types import SimpleNamespace

from core import connections as given
from core import kept as kept_module
from core.kept import Kept


class FakeConnection:
    def __init__(self, *, pooled=True, open_=True, atomic=False):
        self.settings_dict = {"OPTIONS": {"pool": {"max_size": 4}} if pooled else {}}
        self.connection = object() if open_ else None
        self.in_atomic_block = atomic
        self.closed = False

    def close(self):
        self.closed = True


def test_only_idle_pooled_connections_go_back(monkeypatch):
    idle = FakeConnection()
    in_transaction = FakeConnection(atomic=True)
    not_pooled = FakeConnection(pooled=False)
    not_open = FakeConnection(open_=False)
    every = [idle, in_transaction, not_pooled, not_open]
    monkeypatch.setattr(given, "connections", SimpleNamespace(all=lambda initialized_only: every))
    given.give_back_connections()
    assert [c.closed for c in every] == [True, False, False, False]


def test_a_thread_waiting_for_another_threads_load_gives_back_its_connections(monkeypatch):
    calls = []
    monkeypatch.setattr(
        kept_module, "give_back_connections", lambda: calls.append(threading.current_thread())
    )
    kept = Kept(10)
    loading, release = threading.Event(), threading.Event()

    def slow_load():
        loading.set()
        release.wait(5)
        return "value"

    loader = threading.Thread(target=lambda: kept.get_or_load("key", slow_load))
    loader.start()
    assert loading.wait(5)
    waiter_values = []
    waiter = threading.Thread(
        target=lambda: waiter_values.append(kept.get_or_load("key", lambda: "other"))
    )
    waiter.start()
    for _ in range(250):  # the waiter gives its connections back before it waits
        if calls:
            break
        time.sleep(0.02)
    assert calls == [waiter]
    release.set()
    loader.join(5)
    waiter.join(5)
    assert waiter_values == ["value"]  # the loader's value, not loaded again


def test_a_thread_loading_a_value_keeps_its_connections(monkeypatch):
    calls = []
    monkeypatch.setattr(kept_module, "give_back_connections", lambda: calls.append(1))
    kept = Kept(10)
    assert kept.get_or_load("key", lambda: "value") == "value"
    assert kept.get_or_load("key", lambda: "other") == "value"
    assert calls == []


def test_the_batch_writer_takes_no_pooled_connection_into_its_wait(monkeypatch):
    from consultations.quick import writer as writer_module

    order = []
    monkeypatch.setattr(writer_module, "give_back_connections", lambda: order.append("given"))

    class Recording(writer_module.BatchWriter):
        def _ensure_thread(self):
            order.append("handed")

    item = writer_module.Item()
    item.done.set()
    assert Recording().submit(item) is item
    assert order == ["given", "handed"]
