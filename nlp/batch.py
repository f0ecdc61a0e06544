"""Process many documents: local processes or a Dask cluster, resumable, never stopped by one file.

``run_batch(paths, out_jsonl, workers=1, dask=None, resume=False)`` walks files and
folders (recursively, sorted), runs the pipeline on each document (in chunks of up to
``CHUNK`` documents that share one extractor call) and writes one record per document to
``out_jsonl`` in input order.

Crash safety: while running, each finished record is appended to ``out_jsonl`` as one
complete line (one write, then flush; fsync once a second and at the end), so a killed
run leaves only whole lines — or at worst one trailing partial line, which
``resume=True`` drops.  ``resume=True``
skips every document whose record is already there (keyed by path).  At the end the
file is rewritten atomically in input order, with cross-year findings for the whole
run (unless it already is that file), so a killed-and-resumed run ends with the same
file as an uninterrupted one.  A resumed run with nothing left to do loads no model and
leaves the file as it is (bytes and modification time); when the run index beside the
output (``index_path``) says it holds exactly these inputs and has not changed since, the
records are not read at all.

Records are compact by default (``compact=False``: every line listed): see
``Record.to_dict(compact=True)`` — empty lines that take the section of the line before
are left out, and the small fields come first, so a resumed run reads a line's id, path,
findings and coverage without parsing its text, lines, facts and cells.

Parallelism: ``workers=N`` uses a process pool (each worker loads the models once — on
POSIX the pool forks after the parent loaded them, so workers start at once;
``GOVREPORT_MP_START=spawn|forkserver`` overrides);
``dask="tcp://host:port"`` (or a ``distributed.Client``) sends documents to a Dask
cluster whose workers see the same file system and models folder.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from nlp import persist
from nlp.errors import safe_text
from nlp.persist import atomic_writer, remove_stale_temps
from nlp.types import (COMPACT_HEAD, LINES_COMPACT, Coverage, Finding, Record, RecordError, TableCoverage,
                       dumps_json_bytes, loads_json)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from nlp.report import Outcome

CHUNK = 8  # documents per extractor call: shares the network's per-call cost (~25 % faster)
# Seconds one document may take before it is stopped and recorded as a ``timeout`` error.
# Generous: a whole report takes about a second; the readers' limits bound the rest.
DOC_TIMEOUT = 300.0


class Interrupted(KeyboardInterrupt):
    """The run was stopped (SIGINT or SIGTERM): the output holds whole records only, and
    ``resume=True`` finishes it."""


class _Overtime(BaseException):
    """Raised by the timer inside a document's processing; a BaseException so that no
    stage's ``except Exception`` takes it for that stage's own failure."""


@dataclass
class BatchSummary:
    out: Path
    total: int = 0
    processed: int = 0
    skipped: int = 0
    failed: int = 0
    severities: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # what the console says about each document, in input order (``nlp.report.Outcome``)
    outcomes: list[Outcome] = field(default_factory=list)
    _keys: list[str] = field(default_factory=list, repr=False)
    _records: list[Record] | None = field(default=None, repr=False)

    @property
    def documents(self) -> list[tuple[str, str, str | None, dict[str, int]]]:
        """One entry per document in input order: (id, path, error kind or None, severity
        counts).  Made when asked: a second list per document at the end of a long run
        was memory the console does not need."""
        return [(o.id, o.path, o.error_kind, o.severities) for o in self.outcomes]

    @property
    def records(self) -> list[Record]:
        """Light records of every document in input order (id, path, agency, year, error,
        findings, coverage, and of the table the cells cross-year rules read), read from
        the output on first use: a run keeps only :class:`Kept` in memory."""
        if self._records is None:
            self._records = _light_records(self.out, self._keys)
        return self._records


# ---------------------------------------------------------------- inputs
def iter_inputs(paths: Iterable[str | Path]) -> Iterator[str]:
    """Files as given, folders recursively (sorted; links out of a folder skipped:
    ``nlp.read.iter_paths``), as strings: a resumed run lists every input again."""
    from nlp.read import iter_path_names

    yield from iter_path_names(paths)


def assign_ids(paths: list[str] | list[Path]) -> list[str]:
    """File stems, made unique in input order (``name``, ``name~2``, …) — also against a
    file whose own stem looks like a suffixed one (``dup.txt``, ``sub/dup.txt``, ``dup~2.txt``).

    >>> assign_ids([Path("a/x.txt"), Path("b/x.txt"), "y.pdf"])
    ['x', 'x~2', 'y']
    >>> assign_ids(["dup.txt", "sub/dup.txt", "dup~2.txt"])
    ['dup', 'dup~2', 'dup~2~2']
    """
    taken: set[str] = set()
    count: Counter = Counter()
    out = []
    for p in paths:
        stem = safe_text(_stem(os.fspath(p)))
        count[stem] += 1
        rid = stem if count[stem] == 1 else f"{stem}~{count[stem]}"
        while rid in taken:
            count[stem] += 1
            rid = f"{stem}~{count[stem]}"
        taken.add(rid)
        out.append(rid)
    return out


def _stem(path: str) -> str:
    """``Path(path).stem`` without building a Path.

    >>> [_stem(p) for p in ("a/b.txt", "b.tar.gz", ".txt", "b.", "b")]
    ['b', 'b.tar', '.txt', 'b.', 'b']
    """
    name = os.path.basename(path)
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


# ---------------------------------------------------------------- workers
_PIPELINES: dict[tuple[str, bool], Any] = {}


def _pipeline(models_dir: str, fallback: bool):
    """The pipeline of this process, loaded on first use (once per worker)."""
    key = (models_dir, fallback)
    if key not in _PIPELINES:
        _keep_freed_memory()
        with _no_collections():  # imports and models: long-lived objects only, nothing to collect
            from nlp.pipeline import Pipeline
            _PIPELINES[key] = Pipeline.load(models_dir, fallback=fallback)
        one_thread_per_worker()
    return _PIPELINES[key]


THREADS_ENV = "GOVREPORT_TORCH_THREADS"


def one_thread_per_worker() -> None:
    """Torch (the transformers extractor) computes on one thread in a batch process: a run
    has one process per core already, and torch's default (a thread per core in every
    process) cost 2.7x the CPU for the same output.  ``$GOVREPORT_TORCH_THREADS`` sets
    another count.  A pipeline without torch does not import it for this."""
    torch = sys.modules.get("torch")
    if torch is None:
        return
    try:
        threads = max(1, int(os.environ.get(THREADS_ENV) or 1))
    except ValueError:
        threads = 1
    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _keep_freed_memory() -> None:
    """Let glibc keep freed memory for the next document instead of returning it.

    The extractor's arrays are megabytes each.  By default glibc maps such blocks
    afresh or trims the heap after them, so every chunk faults its pages in again: 145-190
    page faults per document, measured at about a tenth of a worker's time.  Blocks below
    32 MiB now come from the heap, which is trimmed only past 128 MiB free; peak memory
    stays about the same, since the blocks are reused.  Batch workers only (Dask workers
    included): library users keep glibc's defaults.  Elsewhere than on glibc it does nothing."""
    import ctypes

    try:
        try:
            libc = ctypes.CDLL("libc.so.6")  # glibc's name: no ctypes.util (~15 ms of imports) to find it
        except OSError:
            import ctypes.util
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    for option, value in ((m_mmap_threshold, 32 << 20), (m_trim_threshold, 128 << 20), (m_top_pad, 16 << 20)):
        mallopt(option, value)


@dataclass(slots=True)
class Kept:
    """What a run keeps in memory of each document until its end: what the console says
    about it, and the key that pairs it with its agency's other years (None: it cannot be
    paired).  Everything else stays in the output, read again only for the few documents
    that cross-year rules compare, so a run's memory hardly grows with its length."""

    outcome: Outcome
    year: tuple[str, int] | None


def _kept(data: dict) -> Kept:
    """:class:`Kept` from an output record as a dict (the whole record, or a compact
    line's small fields)."""
    from nlp.reconcile import agency_year
    from nlp.report import outcome_of

    year = None if data.get("error") else agency_year(data.get("agency"), data.get("year"))
    if year is not None:  # a multi-year run names each agency many times: keep one string of it
        year = (sys.intern(year[0]), year[1])
    return Kept(outcome_of(data), year)


@dataclass(slots=True)
class Finished:
    """A processed document as a worker hands it back: its output line, and what the run
    keeps of it (so the parent never parses the line)."""

    line: bytes  # the record's JSON, without the newline
    kept: Kept


def process_chunk(items: list[tuple[str, str]], models_dir: str, fallback: bool,
                  doc_timeout: float | None = DOC_TIMEOUT, compact: bool = True) -> list[Finished]:
    """Documents ``(path, id)`` → one :class:`Finished` each, in order.  A chunk shares one
    extractor call (see ``Pipeline.process_many``).  Never raises for the documents' own
    problems.  A chunk that runs past ``doc_timeout`` seconds is done again one document
    at a time, and the document that runs past it alone becomes a ``timeout`` record
    (in the main thread of a process only: Dask's worker threads cannot be interrupted)."""
    try:
        pipe = _pipeline(models_dir, fallback)
    except Exception as err:  # noqa: BLE001 — a model problem is reported per record
        return [_failed(path, rid, getattr(err, "kind", "model_error"), str(err)) for path, rid in items]
    from nlp.pipeline import fewer_collections  # loaded with the pipeline, above

    try:
        with fewer_collections(), _time_limit(doc_timeout):  # the records' dicts too
            return [_finished(r, compact) for r in pipe.process_many(list(items))]
    except _Overtime:
        if len(items) > 1:
            return [done for item in items for done in process_chunk([item], models_dir, fallback, doc_timeout, compact)]
        path, rid = items[0]
        return [_failed(path, rid, "timeout", f"{safe_text(path)}: stopped after {doc_timeout:g} s "
                                              f"(the per-document time budget)")]
    except Exception as err:  # noqa: BLE001
        return [_failed(path, rid, "internal_error", f"{safe_text(path)}: {err}") for path, rid in items]


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`_Overtime` in this block after ``seconds`` of wall-clock time."""
    if not seconds or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _Overtime()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _finished(rec: Record, compact: bool = True) -> Finished:
    if rec.path is not None:
        rec.path = safe_text(rec.path)  # a file name that is not UTF-8 must not stop the run
    if rec.error is not None:
        rec.error.message = safe_text(rec.error.message)
    data = rec.to_dict(compact=compact)
    return Finished(dumps_json_bytes(data), _kept(data))


def _failed(path: str, rid: str, kind: str, message: str) -> Finished:
    """A document that could not be processed."""
    return _finished(Record(id=rid, path=safe_text(path), error=RecordError(kind, message)))


@contextlib.contextmanager
def _no_collections() -> Iterator[None]:
    """No cyclic collection in this block: it builds thousands of small objects that are
    kept, none of them garbage, and passes over them were most of its time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def chunks(todo: list[tuple[str, str]], workers: int) -> list[list[tuple[str, str]]]:
    """Groups of up to CHUNK documents, small enough that every worker gets several."""
    size = max(1, min(CHUNK, -(-len(todo) // (workers * 4))))
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _init_worker(models_dir: str, fallback: bool, parent: int | None = None) -> None:
    if parent is not None:
        _die_with_parent(parent)
    try:
        _pipeline(models_dir, fallback)
    except Exception:  # noqa: BLE001 — reported per record by process_chunk
        pass
    one_thread_per_worker()  # also in a forked worker, whose parent loaded the models


def _die_with_parent(parent: int) -> None:
    """A pool worker ends when the run that started it ends, however it ends (a SIGKILLed
    parent left its workers running for minutes); Ctrl-C is the parent's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)  # Linux: SIGKILL when the parent dies
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


# ---------------------------------------------------------------- journal (the output while running)
def read_done(out: Path) -> dict[str, tuple[int, int]]:
    """Complete records already in ``out``: path → (byte offset, length) of its line.

    A trailing partial line (a kill mid-write) is cut off the file first.
    """
    return {path: (pos, size) for path, (pos, size, _kept) in _read_journal(out).items()}


# In a compact line the table follows the small fields (``Record._compact_dict``).
_TABLE_AT = b',"table":'
Journaled = tuple[int, int, Kept]


def _read_journal(out: Path) -> dict[str, Journaled]:
    """Complete records already in ``out``: path → (byte offset, length of its line, what
    the run keeps of it), each line parsed once — a compact line only up to its table
    (two hundred cells), which cross-year rules read later for the few records with a
    neighbouring year in the run.  A trailing partial line (a kill mid-write) is cut off
    the file first; a file without one is only read."""
    if not out.is_file():
        return {}
    done: dict[str, Journaled] = {}
    with _no_collections():
        cut_at = _scan_journal(out, done)
    if cut_at is not None:
        _truncate(out, cut_at)
    return done


def _scan_journal(out: Path, done: dict[str, Journaled]) -> int | None:
    """Fill ``done`` from ``out``'s complete lines; the offset of a trailing half line, if any."""
    import mmap

    cut_at = None
    with open(out, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if not size:
            return None
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:  # lines are not copied whole
            pos = 0
            while pos < size:
                end = mm.find(b"\n", pos) + 1
                if not end:  # the half line of a killed run
                    cut_at = pos
                    break
                head = mm.find(COMPACT_HEAD, pos, end)
                data = None
                if head >= 0:
                    at = mm.find(_TABLE_AT, pos, head)
                    data = _head(mm[pos:at] if at >= 0 else mm[pos:head])
                    if data is not None and at >= 0 and data.get("coverage") is None:
                        data["table"] = _table_of(mm, at + len(_TABLE_AT), head)  # what was read, told from the table
                if data is None:
                    try:
                        data = loads_json(mm[pos:end])
                    except ValueError:
                        data = None
                path = data.get("path") if isinstance(data, dict) else None
                if path:
                    done[path] = (pos, end - pos, _kept(data))
                pos = end
    return cut_at


def _line_data(raw: bytes) -> dict:
    """An output line's record as a dict: a compact line's small fields and table only
    (not its text, lines, facts and cells), any other line whole."""
    head = raw.find(COMPACT_HEAD)
    data = _head(raw[:head]) if head >= 0 else None
    return data if data is not None else loads_json(raw)


def _head(head: bytes) -> dict | None:
    """The small fields of a compact record's line, from the part of the line before
    ``COMPACT_HEAD`` (see ``Record._compact_dict``): parsed without its text, lines,
    facts and cells; None for another line (parsed whole)."""
    try:
        data = loads_json(head + b"}")
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.get(LINES_COMPACT) or "coverage" not in data or "path" not in data:
        return None
    return data


def _table_of(buf, start: int, stop: int) -> dict:
    """The table of a compact line: the JSON object at ``buf[start:stop]`` (its values are
    numbers: the first ``}`` closes it); ``ValueError`` when it is not one."""
    close = buf.find(b"}", start, stop)
    table = loads_json(buf[start:close + 1]) if close >= 0 else None
    if not isinstance(table, dict):
        raise ValueError("no table object")
    return table


def _light_records(out: Path, keys: list[str]) -> list[Record]:
    """The light records (:func:`_light_record`) of a finished output's lines, in the
    order of ``keys`` (its inputs)."""
    with open(out, "rb") as fh:
        records = (_light_record(_line_data(raw)) for raw in fh if raw.strip())
        by_file = {_same_file(rec.path or ""): rec for rec in records}
    return [by_file[_same_file(k)] for k in keys]


def _same_file(path: str) -> str:
    """What matches a record to an input: "docs", "./docs/" and "/home/me/docs" name the same files."""
    return os.path.abspath(path)


# ---------------------------------------------------------------- run index (a finished run, remembered)
# Beside a finished output, a hidden file remembers which inputs it holds (in order), what
# the console says about each document, and the output's size, modification time and inode
# as they were when it was finished.  ``--resume`` over the same inputs and an output that
# has not changed since reads that instead of every record: ten thousand records parsed
# and summarized again cost four times a run with nothing to do.  Anything else (another
# input list, an output written to since, an index that is not ours) goes the long way.
INDEX_FORMAT = 2  # 2: an outcome's path left out when it is its key


def index_path(out: Path) -> Path:
    """``.NAME.govreport-index`` beside the output (NAME cut as temporary files cut it)."""
    return out.with_name(f"{persist.temp_prefix(out)}govreport-index")


def _fingerprint(out: Path) -> list[int] | None:
    try:
        st = out.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _write_index(out: Path, keys: list[str], outcomes: list[Outcome]) -> None:
    """Remember the finished run (a cache: when it cannot be written, the next resume reads
    the records instead)."""
    fingerprint = _fingerprint(out)
    if fingerprint is None:
        return
    head = dumps_json_bytes({"govreport_run_index": INDEX_FORMAT, "output": fingerprint})
    with contextlib.suppress(OSError):
        with atomic_writer(index_path(out)) as fh:  # written a slice at a time: no second copy of the run
            fh.write(head[:-1] + b',"keys":')
            _write_list(fh, keys, lambda k: k)
            fh.write(b',"outcomes":')
            _write_list(fh, list(zip(keys, outcomes)), _index_row)
            fh.write(b"}")


def _index_row(item: tuple[str, Outcome]) -> list:
    """An outcome as the index keeps it: its path left out when it is its key (nearly always)."""
    key, o = item
    return [o.id, None if o.path == key else o.path, o.error, o.error_kind, o.read, o.severities, o.findings]


def _write_list(fh, items: list, row: Callable[[Any], Any], step: int = 1000) -> None:
    """``items`` as one JSON array, each through ``row``, encoded ``step`` at a time."""
    fh.write(b"[")
    for start in range(0, len(items), step):
        part = dumps_json_bytes([row(x) for x in items[start:start + step]])[1:-1]
        fh.write((b"," if start else b"") + part)
    fh.write(b"]")


def _read_index(out: Path, keys: list[str]) -> list[Outcome] | None:
    """The outcomes of a finished run of exactly ``keys`` whose output has not changed
    since; None otherwise."""
    from nlp.report import Outcome

    try:
        with open(index_path(out), "rb") as fh:
            data = loads_json(fh.read())
        if (data.get("govreport_run_index") != INDEX_FORMAT or data.get("keys") != keys
                or data.get("output") != _fingerprint(out) or len(data["outcomes"]) != len(keys)):
            return None
        return [Outcome(rid, key if path is None else path, error, kind, severities, read,
                        findings and [tuple(f) for f in findings])
                for key, (rid, path, error, kind, read, severities, findings) in zip(keys, data["outcomes"])]
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return None


def _forget_index(out: Path) -> None:
    with contextlib.suppress(OSError):
        index_path(out).unlink()


def _truncate(out: Path, size: int) -> None:
    with open(out, "r+b") as fh:
        fh.truncate(size)
        fh.flush()
        os.fsync(fh.fileno())


class _Journal:
    """The output file while running: whole lines appended and flushed at once (a killed
    run leaves complete lines, and at most a half line that ``read_done`` cuts off);
    forced to disk every ``SYNC_SECONDS`` and at the end, which bounds what a machine
    crash can lose without paying an fsync per document."""

    SYNC_SECONDS = 1.0

    def __init__(self, out: Path, fresh: bool):
        out.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(out, "wb" if fresh else "ab")
        self.fh.seek(0, os.SEEK_END)
        self.synced = time.monotonic()

    def append(self, line: bytes) -> tuple[int, int]:
        data = line + b"\n"
        pos = self.fh.tell()
        self.fh.write(data)
        self.fh.flush()
        if time.monotonic() - self.synced >= self.SYNC_SECONDS:
            self.sync()
        return pos, len(data)

    def sync(self) -> None:
        os.fsync(self.fh.fileno())
        self.synced = time.monotonic()

    def close(self) -> None:
        self.sync()
        self.fh.close()


# ---------------------------------------------------------------- executors
def _run_local(todo: list[tuple[str, str]], models_dir: str, fallback: bool,
               emit: Callable[[str, Finished], None], doc_timeout: float | None = DOC_TIMEOUT,
               compact: bool = True) -> None:
    for chunk in chunks(todo, 1):
        for (path, _rid), result in zip(chunk, process_chunk(chunk, models_dir, fallback, doc_timeout, compact)):
            emit(path, result)


def _run_pool(todo: list[tuple[str, str]], workers: int, models_dir: str, fallback: bool,
              emit: Callable[[str, Finished], None], doc_timeout: float | None = DOC_TIMEOUT,
              compact: bool = True) -> None:
    # here, not at the top: a one-worker run (``check`` on one file) does not import them
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    pending = chunks(todo, workers)
    retried: set[str] = set()
    method = os.environ.get("GOVREPORT_MP_START") or ("fork" if os.name == "posix" else "spawn")
    if method == "fork":  # children inherit the loaded models (fast start, shared pages)
        _init_worker(models_dir, fallback)
    while pending:
        ctx = get_context(method)
        with _stopping_workers(ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                                   initargs=(models_dir, fallback, os.getpid()))) as pool:
            queue = list(pending)
            pending = []
            inflight: dict[Any, list[tuple[str, str]]] = {}
            broken = False
            while queue or inflight:
                while queue and len(inflight) < workers * 4 and not broken:
                    chunk = queue.pop(0)
                    inflight[pool.submit(process_chunk, chunk, models_dir, fallback, doc_timeout, compact)] = chunk
                done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
                for fut in done:
                    chunk = inflight.pop(fut)
                    try:
                        results = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        pending.extend(_after_crash(chunk, retried, emit))
                        continue
                    for (path, _rid), result in zip(chunk, results):
                        emit(path, result)
                if broken and not inflight:
                    pending.extend(queue)
                    queue = []


@contextlib.contextmanager
def _stopping_workers(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """The pool, shut down normally at the end; when the run is stopped (Ctrl-C, SIGTERM,
    an error) its workers are killed at once instead of finishing their chunks."""
    try:
        with pool:
            yield pool
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise


@contextlib.contextmanager
def _stop_on_sigterm() -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does (:class:`Interrupted`): the journal is closed
    with whole records only, workers are stopped, and ``--resume`` finishes the run."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Interrupted(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _after_crash(chunk: list[tuple[str, str]], retried: set[str],
                 emit: Callable[[str, Finished], None]) -> list[list[tuple[str, str]]]:
    """A worker died on this chunk: retry its documents one by one; a document that
    kills a worker twice is reported as such."""
    again = []
    for path, rid in chunk:
        if path in retried:
            emit(path, _failed(path, rid, "worker_crash", f"{path}: the worker process died on this document"))
        else:
            retried.add(path)
            again.append([(path, rid)])
    return again


def _run_dask(todo: list[tuple[str, str]], dask: Any, models_dir: str, fallback: bool,
              emit: Callable[[str, Finished], None], doc_timeout: float | None = DOC_TIMEOUT,
              compact: bool = True) -> None:
    from distributed import Client, as_completed

    client = dask if isinstance(dask, Client) else Client(dask)
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})))
        queue = chunks(todo, n)
        futures = {}

        def submit(chunk: list[tuple[str, str]]):
            fut = client.submit(process_chunk, chunk, models_dir, fallback, doc_timeout, compact, pure=False)
            futures[fut.key] = chunk
            return fut

        ac = as_completed([submit(queue.pop(0)) for _ in range(min(n * 4, len(queue)))])
        for fut in ac:
            chunk = futures.pop(fut.key)
            try:
                results = fut.result()
            except Exception as err:  # noqa: BLE001 — a lost worker, not a document problem
                results = [_failed(path, rid, "worker_crash", f"{path}: {err}") for path, rid in chunk]
            fut.release()
            for (path, _rid), result in zip(chunk, results):
                emit(path, result)
            if queue:
                ac.add(submit(queue.pop(0)))
    finally:
        if client is not dask:
            client.close()


# ---------------------------------------------------------------- public API
def run_batch(paths: Iterable[str | Path], out_jsonl: str | Path, workers: int = 1, dask: Any = None,
              resume: bool = False, progress: bool = True, models_dir: str | Path | None = None,
              fallback: bool = False, doc_timeout: float | None = DOC_TIMEOUT,
              prepare: Callable[[], None] | None = None, compact: bool = True) -> BatchSummary:
    """Process every document under ``paths`` into ``out_jsonl`` (see the module doc).

    ``doc_timeout``: seconds a document may take (``None``: no limit).  ``prepare`` is
    called once before the first document is processed, and not at all when nothing is
    left to do (the CLI loads and checks the models there).  ``compact``: records leave
    out what :meth:`Record.to_dict` ``compact`` leaves out (``False``: every line listed).
    SIGTERM and Ctrl-C raise :class:`Interrupted` after closing the output with whole
    records.  A resumed run with nothing left to do and nothing to change leaves the
    output as it is (not rewritten, not even opened for writing)."""
    t0 = time.perf_counter()
    out = Path(out_jsonl)
    files = list(iter_inputs(paths))
    keys = [safe_text(p) for p in files]  # what records say (a path not in UTF-8 is escaped)
    summary = BatchSummary(out=out, total=len(files), _keys=keys)
    remove_stale_temps(out)  # a run killed while rewriting the output left its temporary file
    if resume:
        with _no_collections():
            outcomes = _read_index(out, keys)
            if outcomes is not None:
                summary.skipped = len(files)  # a finished run of these inputs, its output untouched since
                return _summarize(summary, outcomes, t0)
    ids = assign_ids(files)
    earlier = _read_journal(out) if resume else {}
    if earlier:  # a record of an earlier run counts for the input that names its file
        wanted = {_same_file(k): k for k in keys}
        earlier = {wanted[a]: v for k, v in earlier.items() if (a := _same_file(k)) in wanted}
    done = {k: (pos, size) for k, (pos, size, _kept) in earlier.items()}
    kept: dict[str, Kept] = {k: entry for k, (_pos, _size, entry) in earlier.items()}
    del earlier
    todo = [(path, rid) for key, path, rid in zip(keys, files, ids) if key not in done]
    summary.skipped = len(files) - len(todo)
    models = str(persist.models_dir(models_dir).resolve())

    if todo or not resume or not out.exists():
        if prepare is not None and todo:
            prepare()
        _forget_index(out)  # the output changes from here on
        journal = _Journal(out, fresh=not resume)
        # no bar for one document (or none) to do: it would say nothing the summary does not
        bar = _progress(progress and len(todo) > 1, len(files), summary.skipped)

        def emit(path: str, result: Finished) -> None:
            key = safe_text(path)
            done[key] = journal.append(result.line)
            kept[key] = result.kept
            if result.kept.outcome.path == key:  # one string kept per document, not two equal ones
                result.kept.outcome.path = key
            summary.processed += 1
            if bar is not None:
                bar[0].advance(bar[1])

        try:
            with _stop_on_sigterm():
                if not todo:
                    pass
                elif dask is not None:
                    _run_dask(todo, dask, models, fallback, emit, doc_timeout, compact)
                elif workers > 1:
                    _run_pool(todo, workers, models, fallback, emit, doc_timeout, compact)
                else:
                    _run_local(todo, models, fallback, emit, doc_timeout, compact)
        except KeyboardInterrupt as stop:
            if isinstance(stop, Interrupted):
                raise
            raise Interrupted("interrupted") from None
        finally:
            journal.close()
            if bar is not None:
                bar[0].stop()
        del todo, ids  # what was to do is done: the end of the run keeps only what it needs
    outcomes = _finish(out, keys, done, [kept[k] for k in keys], compact)
    done.clear()  # the end of the run (index, summary, console) holds the outcomes only
    kept.clear()
    _write_index(out, keys, outcomes)
    return _summarize(summary, outcomes, t0)


def _summarize(summary: BatchSummary, outcomes: list[Outcome], t0: float) -> BatchSummary:
    """The run's totals, from its documents' outcomes."""
    from nlp.report import severity_totals

    summary.outcomes = outcomes
    summary.severities = severity_totals(outcomes)
    summary.failed = sum(1 for o in outcomes if o.error)
    summary.seconds = time.perf_counter() - t0
    return summary


def _finish(out: Path, keys: list[str], done: dict[str, tuple[int, int]], kept: list[Kept],
            compact: bool = True) -> list[Outcome]:
    """Cross-year findings over the whole run, then the output rewritten in input order;
    returns every document's outcome, in input order.

    Only the documents whose agency has a report one year before or after in the run, and
    those that had cross-year findings, are read again.  A line whose cross-year findings
    stay as they are is copied as written; a journal that already is the output in input
    order with nothing to change (one worker; a resumed run with nothing left to do) is
    left as it is: not rewritten, its modification time kept."""
    outcomes = [k.outcome for k in kept]
    with open(out, "rb") as src:  # the journal made it, if an earlier run had not
        changed = _cross_year_changes(src, [done[k] for k in keys], kept)
    if not changed and _in_order(keys, done, out.stat().st_size):
        return outcomes
    from nlp.report import outcome_of

    with open(out, "rb") as src, atomic_writer(out) as dst:
        for i, key in enumerate(keys):
            raw = _read_line(src, done[key])
            if i in changed:  # recomputed: a resumed run must not double them
                full = Record.from_json(raw)
                full.findings = changed[i]
                data = full.to_dict(compact=compact)
                raw, outcomes[i] = dumps_json_bytes(data), outcome_of(data)
            dst.write(raw + b"\n")
    return outcomes


def _read_line(src, span: tuple[int, int]) -> bytes:
    src.seek(span[0])
    return src.read(span[1]).rstrip(b"\n")


def _cross_year_changes(src, spans: list[tuple[int, int]], kept: list[Kept]) -> dict[int, list[Finding]]:
    """The documents (by position) whose findings change once the run's cross-year
    findings replace those they had, with their new findings."""
    from nlp.reconcile import reconcile_years, with_cross_year

    present = {k.year for k in kept if k.year is not None}
    paired = [i for i, k in enumerate(kept)
              if k.year is not None and {(k.year[0], k.year[1] - 1), (k.year[0], k.year[1] + 1)} & present]
    had = [i for i, k in enumerate(kept) if any(f[1] == "cross_year_mismatch" for f in k.outcome.findings)]
    if not paired and not had:
        return {}
    # A multi-year run pairs nearly every report: keep only what the rules compare, and
    # read each line's findings again one at a time below.
    cross = reconcile_years(_pairing_record(_line_data(_read_line(src, spans[i]))) for i in paired)
    changed = {}
    for i in sorted({*paired, *had}):
        data = _line_data(_read_line(src, spans[i]))
        findings = [Finding.from_dict(f) for f in data.get("findings") or []]
        now = with_cross_year(findings, cross.get(str(data.get("id", "")), []))
        if [f.to_dict() for f in now] != [f.to_dict() for f in findings]:
            changed[i] = now
    return changed


def _pairing_record(data: dict) -> Record:
    """What cross-year rules read of a record: id, agency, year and the cells they compare."""
    light = _light_record({k: data.get(k) for k in ("id", "agency", "year", "cells", "table", "coverage")})
    light.findings, light.coverage = [], None
    return light


def _in_order(keys: list[str], done: dict[str, tuple[int, int]], size: int) -> bool:
    """Whether the file holds exactly the lines of ``keys``, one after another, in order."""
    pos = 0
    for key in keys:
        start, length = done[key]
        if start != pos:
            return False
        pos += length
    return pos == size


def _light_record(data: dict) -> Record:
    """The parts of an output record the end of a run needs, from its dict (as written, or
    read back from a line an earlier run wrote): the table keeps the cells cross-year
    rules read."""
    wanted = _cross_year_cells()
    cells = data.get("cells")
    if cells is not None:
        table = {k: v for k in wanted if (c := cells.get(k)) is not None and (v := c.get("value")) is not None}
    else:
        values = data.get("table") or {}
        table = {k: values[k] for k in wanted if values.get(k) is not None}
    coverage = Coverage.from_dict(data.get("coverage"))
    if coverage is None and data.get("error") is None:  # a record written before coverage existed
        read = len(cells) if cells is not None else len(data.get("table") or {})
        coverage = Coverage({"all": TableCoverage(read, read)}, facts=len(data.get("facts") or []))
    return Record(id=str(data.get("id", "")), path=data.get("path"), agency=data.get("agency"),
                  year=data.get("year"), error=RecordError.from_dict(data.get("error")), table=table,
                  findings=[Finding.from_dict(f) for f in data.get("findings", [])], coverage=coverage)


@functools.lru_cache(maxsize=1)
def _cross_year_cells() -> frozenset[str]:
    """The indicators cross-year rules read: what a light record keeps of the table."""
    from nlp.indicators import registry
    return frozenset(i for rule in registry().cross_year
                     for i in (rule.this_year, rule.last_year, *rule.plus, *rule.minus))


def _progress(enabled: bool, total: int, completed: int):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("[bold]govreport[/]"), BarColumn(), MofNCompleteColumn(),
                   TimeRemainingColumn(), console=Console(stderr=True, emoji=False), transient=False)
    task = bar.add_task("documents", total=total, completed=completed)
    bar.start()
    return bar, task


def load_output(out: str | Path) -> list[Record]:
    with open(out, encoding="utf-8") as fh:
        return [Record.from_json(line) for line in fh if line.strip()]


def check_models(models_dir: str | Path | None = None, fallback: bool = False) -> dict[str, str]:
    """Load the models in this process (raises ``ModelError`` naming the missing one);
    returns their versions.  Local runs reuse the loaded pipeline."""
    return dict(_pipeline(str(persist.models_dir(models_dir).resolve()), fallback).versions)
