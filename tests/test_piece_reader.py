"""One reading child for many pieces (documents/read.py `_Reader`): the same readings as a child per piece,
one fork for several pieces, and a piece that fails in a child that has read others read again in a child of
its own; a hang, a crash, a fork of the parent or two threads at once do not mix the pieces up."""

import os
import pickle
import signal
import threading
import time

import pytest
from builders import make_docx, make_pdf

import instruct.documents.read as pieces


@pytest.fixture
def files(tmp_path):
    return [
        make_pdf(tmp_path / "avenant.pdf", ["Avenant n° 1 à la convention-cadre", "Article 2 : périmètre"]),
        make_docx(tmp_path / "convention.docx", ["Convention-cadre Action Cœur de Ville", "Article 1"]),
        make_pdf(tmp_path / "deliberation.pdf", ["Délibération du conseil municipal"]),
    ]


@pytest.fixture
def forks(monkeypatch):
    """The forks this process makes, counted."""
    pieces._end_reader()  # a test starts without a reading child
    pieces._reader = None
    made = []
    real = os.fork

    def counted():
        pid = real()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    yield made
    pieces._end_reader()


def test_several_pieces_one_child_and_the_same_readings(files, forks):
    read = [pieces.read_piece_isolated(path) for path in files * 2]
    assert len(forks) == 1
    for path, piece in zip(files * 2, read, strict=True):
        assert piece.readable and pickle.dumps(piece) == pickle.dumps(pieces.read_piece(path))


def test_a_relative_path_is_read_from_this_process_s_directory(files, forks, monkeypatch):
    pieces.read_piece_isolated(files[0])  # the child starts in another directory
    monkeypatch.chdir(files[1].parent)
    piece = pieces.read_piece_isolated(files[1].name)
    assert piece.readable and piece.file == "convention.docx" and len(forks) == 1


def test_the_child_leaves_with_this_process_and_is_reaped(files, forks):
    pieces.read_piece_isolated(files[0])
    child = pieces._reader.pid
    pieces._end_reader()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # already reaped: no zombie, its CPU counted here
    assert pieces.read_piece_isolated(files[1]).readable and len(forks) == 2


def test_a_hang_is_killed_and_the_next_piece_has_a_new_child(files, forks, monkeypatch):
    real = pieces.read_piece

    def stuck_on_deliberations(path):
        if "deliberation" in str(path):
            time.sleep(60)
        return real(path)

    monkeypatch.setattr(pieces, "read_piece", stuck_on_deliberations)
    monkeypatch.setattr(pieces, "MAX_SECONDS", 0.5)
    monkeypatch.setattr(pieces, "GRACE_SECONDS", 0.5)
    assert pieces.read_piece_isolated(files[0]).readable
    start = time.monotonic()
    stuck = pieces.read_piece_isolated(files[2])
    assert time.monotonic() - start < 5 and stuck.problems == ["lecture interrompue après 1 s"]
    assert pieces.read_piece_isolated(files[1]).readable
    assert len(forks) == 2  # one child for the first two, a new one after the kill


def test_a_crash_after_other_pieces_is_read_again_alone_and_said(files, forks, monkeypatch):
    real = pieces.read_piece

    def crashing_on_deliberations(path):
        if "deliberation" in str(path):
            os.kill(os.getpid(), signal.SIGKILL)  # as a segfault would, without its dump
        return real(path)

    monkeypatch.setattr(pieces, "read_piece", crashing_on_deliberations)
    assert pieces.read_piece_isolated(files[0]).readable
    crashed = pieces.read_piece_isolated(files[2])
    assert crashed.problems == [f"lecture impossible : le lecteur s'est arrêté (code -{signal.SIGKILL.value})"]
    assert len(forks) == 2  # the reading child, then a child for that piece alone
    assert pieces.read_piece_isolated(files[1]).readable and len(forks) == 3


def test_a_piece_short_of_memory_in_a_used_child_is_read_again_in_a_new_one(files, forks, monkeypatch, tmp_path):
    """A used child's memory is not a new child's: the piece is not refused for what the others left."""
    real = pieces.read_piece
    first = tmp_path / "premier-lecteur"

    def short_in_the_first_child(path):
        if not first.exists():
            first.write_text(str(os.getpid()))
        if "deliberation" in str(path) and first.read_text() == str(os.getpid()):
            raise MemoryError
        return real(path)

    monkeypatch.setattr(pieces, "read_piece", short_in_the_first_child)
    assert pieces.read_piece_isolated(files[0]).readable
    again = pieces.read_piece_isolated(files[2])
    assert again.readable and again.problems == [] and len(forks) == 2


def test_a_forked_process_reads_with_a_child_of_its_own(files, forks):
    pieces.read_piece_isolated(files[0])
    parent_child = pieces._reader.pid
    receiver, sender = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            piece = pieces.read_piece_isolated(files[1])
            os.write(sender, pickle.dumps((piece.readable, pieces._reader.pid)))
        finally:
            pieces._end_reader()
            os._exit(0)
    os.close(sender)
    readable, child_of_child = pickle.loads(os.read(receiver, 4096))
    os.close(receiver)
    os.waitpid(pid, 0)
    assert readable and child_of_child != parent_child
    assert pieces.read_piece_isolated(files[2]).readable and pieces._reader.pid == parent_child


def test_two_threads_at_once_each_get_their_piece(files, forks):
    got = {}

    def read(path):
        for _ in range(3):
            got.setdefault(path.name, []).append(pieces.read_piece_isolated(path))

    threads = [threading.Thread(target=read, args=(path,)) for path in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for path in files:
        assert [p.file for p in got[path.name]] == [path.name] * 3
        assert all(pickle.dumps(p) == pickle.dumps(pieces.read_piece(path)) for p in got[path.name])


def test_a_child_for_one_piece_is_killed_when_it_hangs_and_said_when_it_crashes(files, monkeypatch):
    """The path of a piece read again alone (`_read_once`): the same limits and the same problems."""
    real = pieces.read_piece

    def hangs_or_crashes(path):
        if "deliberation" in str(path):
            time.sleep(60)
        if "convention" in str(path):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path)

    monkeypatch.setattr(pieces, "read_piece", hangs_or_crashes)
    monkeypatch.setattr(pieces, "MAX_SECONDS", 0.5)
    monkeypatch.setattr(pieces, "GRACE_SECONDS", 0.5)
    assert pickle.dumps(pieces._read_once(files[0])) == pickle.dumps(real(files[0]))
    start = time.monotonic()
    assert pieces._read_once(files[2]).problems == ["lecture interrompue après 1 s"]
    assert time.monotonic() - start < 5
    crashed = pieces._read_once(files[1]).problems
    assert crashed == [f"lecture impossible : le lecteur s'est arrêté (code -{signal.SIGKILL.value})"]
