"""The follower: a read-only store reopened, and its load records read, after a load."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdgraph import materialise
from sdgraph.config import Settings
from sdgraph.follow import Follower, follows
from sdgraph.store import EmbeddedStore, Source, embedded
from sdgraph.store.embedded import INFO_LOGS_KEPT, SNAPSHOTS, _writer_open, current_snapshot

DATA = Path(__file__).parent / "data"
EX = "https://example.org/test/"

pytestmark = pytest.mark.skipif(not Path("/proc/locks").exists(),
                                reason="the kernel's lock table (/proc/locks, Linux) is absent")


def _load(path: Path, n: int) -> None:
    """A load as ``sdgraph load`` makes it: a writer opened, one graph loaded, closed."""
    writer = EmbeddedStore(path)
    try:
        writer.load([Source(name=f"{n}.nt", graph=f"{EX}g{n}",
                            data=f'<{EX}s> <{EX}p> "{n}" .\n'.encode())])
    finally:
        writer.close()


def _count(store: EmbeddedStore) -> int:
    [(n,)] = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ <{EX}s> <{EX}p> ?o }}").rows
    return int(n)


def test_a_writer_holds_the_lock_until_it_is_closed(tmp_path: Path) -> None:
    writer = EmbeddedStore(tmp_path / "s")
    assert _writer_open(tmp_path / "s")
    reader = EmbeddedStore(tmp_path / "s", read_only=True)
    assert _writer_open(tmp_path / "s")  # a reader takes no lock
    writer.close()
    assert not _writer_open(tmp_path / "s")
    reader.close()
    assert not _writer_open(tmp_path / "s")


def test_a_writer_leaves_at_most_ten_old_info_logs(tmp_path: Path) -> None:
    """Each writer's opening makes RocksDB keep the previous info log as LOG.old.*; closing
    a writer removes all but the newest ten, and the data is untouched."""
    path = tmp_path / "s"
    for n in range(14):
        _load(path, n)
    logs = sorted(p.name for p in path.iterdir() if p.name.startswith("LOG"))
    assert "LOG" in logs and len(logs) == 1 + INFO_LOGS_KEPT, logs
    reader = EmbeddedStore(path, read_only=True)
    assert _count(reader) == 14
    reader.close()


def test_readers_open_the_snapshot_a_writer_published_never_the_folder_it_writes(
        tmp_path: Path) -> None:
    """Opening a store read-only while another process writes it is undefined behaviour
    in pyoxigraph (a reader grew to 24 GiB): a writer's close publishes a snapshot, and a
    reader opened while the next writer is at work opens that snapshot."""
    path = tmp_path / "s"
    _load(path, 1)
    first = current_snapshot(path)
    assert first is not None and first.parent == path / SNAPSHOTS
    writer = EmbeddedStore(path)
    writer.load([Source(name="2.nt", graph=f"{EX}g2", data=f'<{EX}s> <{EX}p> "2" .\n'.encode())])
    reader = EmbeddedStore(path, read_only=True)  # beside the open writer
    assert reader._opened == first and _count(reader) == 1
    writer.close()
    second = current_snapshot(path)
    assert second not in (None, first)
    assert _count(reader) == 2 and reader._opened == second  # moved on before the query
    assert first.is_dir()  # kept a while for readers still on it
    EmbeddedStore(path).close()  # a writer that changed nothing publishes nothing
    assert current_snapshot(path) == second
    reader.close()


def test_old_snapshots_go_and_a_reader_on_one_moves_to_the_newest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s"
    _load(path, 1)
    reader = EmbeddedStore(path, read_only=True)
    assert _count(reader) == 1
    monkeypatch.setattr(embedded, "SNAPSHOT_GRACE", 0.0)
    for n in (2, 3):
        _load(path, n)
    assert [p.name for p in (path / SNAPSHOTS).iterdir() if p.is_dir()] == [
        current_snapshot(path).name]
    assert _count(reader) == 3
    reader.close()


def test_a_store_without_snapshots_is_read_in_its_folder(tmp_path: Path) -> None:
    """A copy made without the snapshots (``copy_ignore``) is read as it is, until a
    writer closes."""
    import shutil

    _load(tmp_path / "s", 1)
    shutil.copytree(tmp_path / "s", tmp_path / "copy", ignore=embedded.copy_ignore)
    assert not (tmp_path / "copy" / SNAPSHOTS).exists()
    reader = EmbeddedStore(tmp_path / "copy", read_only=True)
    assert reader._opened == tmp_path / "copy" and _count(reader) == 1
    _load(tmp_path / "copy", 2)
    assert _count(reader) == 2 and reader._opened == current_snapshot(tmp_path / "copy")
    reader.close()


def test_follower_catches_up_after_each_load_and_not_before(tmp_path: Path) -> None:
    path = tmp_path / "s"
    _load(path, 1)
    reader = EmbeddedStore(path, read_only=True)
    follower = Follower(reader, 60)
    assert follower.step() is True  # its first look
    assert follower.step() is False
    version = reader.version()

    writer = EmbeddedStore(path)
    writer.load([Source(name="2.nt", graph=f"{EX}g2", data=f'<{EX}s> <{EX}p> "2" .\n'.encode())])
    # the writer still has the store open: the reader keeps what it opened
    assert follower.step() is False
    assert reader.version() == version and _count(reader) == 1
    writer.close()

    assert follower.step() is True
    # reopened on the snapshot the writer published, with the records of the new version read
    assert reader._opened == current_snapshot(path) is not None
    assert materialise._MEMO[reader][0] == reader.version() != version
    assert _count(reader) == 2
    assert follower.step() is False
    reader.close()


def test_follower_thread_reopens_the_store_before_a_query_needs_to(tmp_path: Path) -> None:
    path = tmp_path / "s"
    _load(path, 1)
    reader = EmbeddedStore(path, read_only=True)
    follower = Follower(reader, 0.05).start()
    try:
        _load(path, 2)
        for _ in range(100):
            if reader._opened == current_snapshot(path):
                break
            follower._stop.wait(0.05)
        assert reader._opened == current_snapshot(path)
        assert _count(reader) == 2
    finally:
        follower.stop()
        reader.close()
    assert not follower._thread.is_alive()


def test_web_app_follows_a_read_only_store_unless_turned_off(tmp_path: Path) -> None:
    from web import FOLLOWER_KEY, create_app

    _load(tmp_path / "s", 1)
    settings = Settings.from_env(store_path=tmp_path / "s",
                                 env={"SDGRAPH_CACHE_REFRESH": "0"})
    assert settings.store_follow == 0.5
    app = create_app(settings=settings.with_(instance_path=tmp_path / "i"))
    follower = app.extensions[FOLLOWER_KEY]
    try:
        assert follower.store is app.extensions["sdgraph.store"]
        assert follows(follower.store) and follower._thread.is_alive()
    finally:
        follower.stop()
    off = Settings.from_env(store_path=tmp_path / "s",
                            env={"SDGRAPH_CACHE_REFRESH": "0", "SDGRAPH_STORE_FOLLOW": "0"})
    assert off.store_follow == 0
    assert FOLLOWER_KEY not in create_app(
        settings=off.with_(instance_path=tmp_path / "i")).extensions
    assert not follows(EmbeddedStore(tmp_path / "s2"))  # a writer needs no follower
