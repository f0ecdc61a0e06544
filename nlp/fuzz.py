"""Fuzzing the whole pipeline with hostile documents: ``python -m nlp.fuzz``.

A small deterministic mutation engine.  The seed reports (``corpus/seeds``) are
rendered as txt, docx, html and pdf (:mod:`nlp.corpus.render`); every input is one seed in
one format, changed by one or two mutations drawn from a fixed random stream (input
``i`` of reader ``r`` under ``--seed s`` is always the same bytes): byte flips,
truncation, junk, corrupt zip members, lying zip headers, deep nesting, huge tables,
huge lines, digit runs, mixed encodings, odd Unicode, broken XML and HTML, PDF
content-stream bombs.

Each input runs through read → … → reconcile in a child process forked from a parent
that loaded the models once, under a time watch (killed past ``--timeout``) and a
memory watch (peak resident size from the kernel's accounting; an address-space cap
makes a runaway allocation fail instead of swapping).  Per reader it prints: inputs,
clean records, typed errors (by kind), internal errors (an ``internal_error`` record,
a child killed by a signal, or an untyped exception), inputs over the time limit, and
the worst peak memory.  Internal errors and slow inputs are listed with their mutation
so they can be replayed (``--only READER:INDEX``).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import signal
import sys
import tempfile
import time
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nlp import lexicon

_WORDS = lexicon.load("reading")["fuzz"]
READERS = ("txt", "docx", "html", "pdf")
WALL_FACTOR = 4  # a child is killed after this many times the CPU limit in wall-clock time
SEEDS_DIR = Path(__file__).resolve().parent.parent / "corpus" / "seeds"
# Characters that keep the later stages busy: labels, numerals, units, separators.
BUSY = _WORDS["busy"]
ODD = ["\u202e", "\u200d", "\u0301" * 40, "\ufeff", "\U0001f600", "\ue000", "\x00", "\x1b[31m", "\u2028",
       "\x85", "\ufffd", "\u0000\u0001\u0002", "[bold red]x[/]", "\u00ad", "\uff11\uff12", "\u3007", "\ud7ff",
       "\U000e0001", "\u0e3f" * 30, "\u200b" * 200]


# ---------------------------------------------------------------- seeds in every format
@dataclass
class Seeds:
    """Each seed's text and blocks, and its bytes in every format."""

    texts: list[str]
    blocks: list[list]
    files: dict[str, list[bytes]] = field(default_factory=dict)


def load_seeds(readers: tuple[str, ...] = READERS, limit: int | None = None) -> Seeds:
    from nlp.pipeline import read_document
    from nlp.corpus.render import blocks_from_document

    paths = sorted(SEEDS_DIR.glob("*.txt"))[:limit]
    docs = [read_document(p) for p in paths]
    seeds = Seeds([p.read_text(encoding="utf-8") for p in paths], [blocks_from_document(d) for d in docs])
    for fmt in readers:
        seeds.files[fmt] = [render(blocks, fmt) if fmt != "txt" else p.read_bytes()
                            for blocks, p in zip(seeds.blocks, paths)]
    return seeds


def render(blocks: list, fmt: str) -> bytes:
    """Blocks rendered as ``fmt`` bytes (through a temporary file: the renderers write files)."""
    from nlp.corpus import render as r

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"x.{fmt}"
        if fmt == "docx":
            r.render_docx(blocks, path, merge=True)
        elif fmt == "html":
            r.render_html(blocks, path, merge=True)
        elif fmt == "pdf":
            r.render_pdf(blocks, path)
        else:
            path.write_text(r.render_txt(blocks), encoding="utf-8")
        return path.read_bytes()


# ---------------------------------------------------------------- mutations
def _busy(rng: random.Random, n: int) -> str:
    return "".join(rng.choices(BUSY, k=n))


def _at(rng: random.Random, s, piece):
    """``piece`` inserted at a random position of ``s`` (str or bytes)."""
    k = rng.randint(0, len(s))
    return s[:k] + piece + s[k:]


# byte level: any format
def flip_bytes(rng, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice([1, 4, 32, 256])):
        k = rng.randrange(len(out))
        out[k] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(rng, data: bytes) -> bytes:
    return data[:rng.randint(0, len(data))]


def junk(rng, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 8)):
        data = _at(rng, data, rng.randbytes(rng.choice([1, 16, 300])))
    return data


def splice(rng, data: bytes) -> bytes:
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.choice([16, 512, 8192]))
    return _at(rng, data, data[a:b] * rng.choice([2, 20, 200]))


BYTE_MUTATIONS = [flip_bytes, truncate, junk, splice]


# text level: txt and html bodies, the docx XML
def huge_table(rng, text: str) -> str:
    rows = rng.choice([60, 600, 1990, 2010, 5000])
    cols = rng.choice([3, 8, 40])
    labels = list(_WORDS["table_labels"])
    table = "\n".join("\t".join([rng.choice(labels)] + [str(rng.randint(0, 999)) for _ in range(cols)])
                      for _ in range(rows))
    return _at(rng, text, "\n" + lexicon.load("report")["table_titles"][3] + "\n" + table + "\n")


def huge_line(rng, text: str) -> str:
    from nlp.read import MAX_CHARS
    n = rng.choice([20_000, MAX_CHARS - 20_000, MAX_CHARS + 10_000, 4 * MAX_CHARS])
    return _at(rng, text, "\n" + _busy(rng, 64) * (n // 64) + "\n")


def digit_runs(rng, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        n = rng.choice([16, 20, 400, 4400, 20_000])
        text = _at(rng, text, "".join(rng.choices("0123456789", k=n)) + rng.choice(list(_WORDS["digit_units"])))
    return text


def cn_numerals(rng, text: str) -> str:
    before, after = _WORDS["numeral_claim"]
    return _at(rng, text, before + "".join(rng.choices(_WORDS["numerals"], k=rng.choice([8, 60, 3000]))) + after)


def odd_unicode(rng, text: str) -> str:
    for _ in range(rng.randint(1, 30)):
        text = _at(rng, text, rng.choice(ODD))
    return text


def no_stops(rng, text: str) -> str:
    """A long text without sentence or clause ends (the linker's worst case)."""
    body = "".join(ch for ch in text if ch not in _WORDS["stops"])
    return body * rng.choice([1, 8, 40])


def repeat(rng, text: str) -> str:
    k = rng.choice([4, 20, 60])
    return "\n".join(_renumber(rng, text) for _ in range(k))


def _renumber(rng, text: str) -> str:
    import re
    return re.sub(r"\d+", lambda m: str(rng.randint(0, 10 ** len(m.group())) % 100000), text)


TEXT_MUTATIONS = [huge_table, huge_line, digit_runs, cn_numerals, odd_unicode, no_stops, repeat]


def mixed_encodings(rng, text: str) -> bytes:
    out = []
    for k in range(0, len(text), 97):
        enc = rng.choice(["utf-8", "gb18030", "utf-16-le", "big5", "latin-1"])
        out.append(text[k:k + 97].encode(enc, errors="replace"))
    return b"".join(out)


# html
def deep_nesting(rng, html: str) -> str:
    depth = rng.choice([300, 5000, 30_000])
    tag = rng.choice(["div", "span", "table><tr><td", "ul><li", "font"])
    close = "" if rng.random() < 0.5 else "</div>" * depth
    return _at(rng, html, f"<{tag}>" * depth + _WORDS["deep_heading"] + close)


def broken_markup(rng, html: str) -> str:
    pieces = ["<script>", "<!--", "<", "<div class='", "<style>", "</td>", "<td colspan=99999 rowspan=99999>",
              "<table>", "<tr>", "&#xFFFFFFFF;", "&amp", "<meta charset=undefined>", "\x0c", "<?xml ?>",
              "<td rowspan=64 colspan=64>1</td>" * 40, "<br>" * 100]
    for _ in range(rng.choice([3, 50, 2000])):
        html = _at(rng, html, rng.choice(pieces))
    return html


def html_huge_table(rng, html: str) -> str:
    rows = rng.choice([100, 1990, 3000])
    cell = "<td>1</td>" * rng.choice([4, 30])
    return _at(rng, html, "<table>" + f"<tr><td>{_WORDS['html_cell_label']}</td>{cell}</tr>" * rows + "</table>")


def charset(rng, html: str) -> str:
    return html.replace("utf-8", rng.choice(["undefined", "x-bogus", "utf-32", "gbk", "utf-7"]), 1)


HTML_MUTATIONS = [deep_nesting, broken_markup, html_huge_table, charset]


# docx
def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: list[tuple[str, bytes]] = ()) -> bytes:
    """The archive with each member changed; an archive an earlier mutation broke beyond
    what zipfile opens (a bad header, an unknown version, a corrupt member) stays as it is:
    the input is still hostile, and the fuzzer must not stop on its own mutation."""
    try:
        return _rezip_members(data, change, extra)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError, zlib.error, KeyError):
        return data


def _rezip_members(data: bytes, change: Callable[[str, bytes], bytes | None],
                   extra: list[tuple[str, bytes]] = ()) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = change(item.filename, src.read(item.filename))
            if content is not None:
                dst.writestr(item.filename, content)
        for name, content in extra:
            dst.writestr(name, content)
    return out.getvalue()


def docx_xml(rng, data: bytes, mutate: Callable) -> bytes:
    def change(name, content):
        if name != "word/document.xml":
            return content
        return mutate(rng, content.decode("utf-8")).encode("utf-8", errors="surrogatepass")
    return _rezip(data, change)


def xml_attrs(rng, xml: str) -> str:
    """Huge or non-numeric table and list attributes."""
    bad = rng.choice(["999999999", "-3", "abc", "1e9", "", _WORDS["fullwidth_digit"]])
    xml = xml.replace("<w:trPr>", f'<w:trPr><w:gridBefore w:val="{bad}"/>', rng.choice([1, 5]))
    xml = xml.replace("<w:tr>", f'<w:tr><w:trPr><w:gridBefore w:val="{bad}"/></w:trPr>', rng.choice([1, 5]))
    xml = xml.replace('w:gridSpan w:val="', f'w:gridSpan w:val="{bad}', 3)
    return xml.replace("<w:pPr>", f'<w:pPr><w:numPr><w:ilvl w:val="{bad}"/><w:numId w:val="1"/></w:numPr>', 3)


def xml_break(rng, xml: str) -> str:
    k = rng.randrange(len(xml))
    return rng.choice([xml[:k], xml[:k] + xml[k + 50:], xml.replace("</w:p>", "", rng.choice([1, 10, 500])),
                       xml.replace("<w:body>", "<w:body>" + "<w:sdt><w:sdtContent>" * 3000)])


def xml_rows(rng, xml: str) -> str:
    row = "<w:tr>" + "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>" * rng.choice([4, 30]) + "</w:tr>"
    table = "<w:tbl>" + row * rng.choice([100, 1990, 4000]) + "</w:tbl>"
    return xml.replace("<w:body>", "<w:body>" + table, 1)


def xml_text(rng, xml: str) -> str:
    import html as h
    body = rng.choice(TEXT_MUTATIONS)(rng, "")
    return xml.replace("<w:body>", "<w:body><w:p><w:r><w:t>" + h.escape(body).replace("\n", "</w:t><w:br/><w:t>")
                       + "</w:t></w:r></w:p>", 1)


def zip_bomb(rng, data: bytes) -> bytes:
    size = rng.choice([50, 150, 400]) * 2 ** 20
    out = _rezip(data, lambda n, c: c, [("word/media/big.bin", b"\0" * size)])
    return _lie_about_sizes(out, "word/media/big.bin") if rng.random() < 0.7 else out


def _lie_about_sizes(data: bytes, member: str) -> bytes:
    """Declare 40 kB for ``member`` in its local header and the central directory."""
    out = bytearray(data)
    name = member.encode()
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        pos = 0
        while (pos := out.find(sig, pos)) >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if out[name_at:name_at + len(name)] == name:
                out[pos + offset:pos + offset + 4] = (40_000).to_bytes(4, "little")
            pos += 4
    return bytes(out)


def many_members(rng, data: bytes) -> bytes:
    n = rng.choice([500, 2500])
    return _rezip(data, lambda name, c: c, [(f"customXml/item{i}.xml", b"<a/>") for i in range(n)])


def drop_member(rng, data: bytes) -> bytes:
    victim = rng.choice(["[Content_Types].xml", "word/document.xml", "word/styles.xml", "_rels/.rels",
                         "word/_rels/document.xml.rels", "word/numbering.xml"])
    return _rezip(data, lambda name, c: None if name == victim else c)


def corrupt_member(rng, data: bytes) -> bytes:
    """Flip bytes inside word/document.xml's compressed data (the CRC no longer holds)."""
    out = bytearray(data)
    pos = data.find(b"word/document.xml")
    for _ in range(rng.choice([1, 10])):
        k = rng.randrange(pos + 20, min(len(out), pos + 2000))
        out[k] ^= 0xFF
    return bytes(out)


def docx_mutation(rng, data: bytes) -> bytes:
    kind = rng.choice(["attrs", "break", "rows", "text", "bomb", "members", "drop", "corrupt", "bytes"])
    if kind in ("attrs", "break", "rows", "text"):
        fn = {"attrs": xml_attrs, "break": xml_break, "rows": xml_rows, "text": xml_text}[kind]
        return docx_xml(rng, data, fn)
    if kind == "bytes":
        return rng.choice(BYTE_MUTATIONS)(rng, data)
    return {"bomb": zip_bomb, "members": many_members, "drop": drop_member, "corrupt": corrupt_member}[kind](rng, data)


# pdf
def pdf_with_content(content: bytes, pages: int = 1, compress: bool = True) -> bytes:
    """A minimal valid PDF whose pages share one content stream (hand-built xref)."""
    stream = zlib.compress(content, 1) if compress else content
    flt = b"/Filter /FlateDecode " if compress else b""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d " % len(stream) + flt + b">>\nstream\n" + stream + b"\nendstream"]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


_BOMB_CACHE: dict[int, bytes] = {}


def pdf_bomb(rng, data: bytes) -> bytes:
    mib = rng.choice([100, 600])
    if mib not in _BOMB_CACHE:  # compressing hundreds of MiB once per run, not per input
        zeros = zlib.compressobj(9)
        chunk = b" " * (1 << 20)
        _BOMB_CACHE[mib] = b"".join(zeros.compress(chunk) for _ in range(mib)) + zeros.flush()
    stream = _BOMB_CACHE[mib]
    base = pdf_with_content(b"BT /F1 12 Tf 72 720 Td (x) Tj ET")
    raw_start = base.index(b"stream\n") + 7
    raw_end = base.index(b"\nendstream")
    body = base[:raw_start] + stream + base[raw_end:]
    body = body.replace(b"<< /Length %d " % (raw_end - raw_start), b"<< /Length %d " % len(stream), 1)
    return _fix_xref(body)


def _fix_xref(pdf: bytes) -> bytes:
    """Recompute a hand-built PDF's xref offsets after an object changed length."""
    import re
    head = pdf[:pdf.index(b"xref\n")]
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", head)]
    out = bytearray(head)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


def pdf_operators(rng, data: bytes) -> bytes:
    n = rng.choice([20_000, 400_000, 2_000_000])
    op = rng.choice([b"0 0 m 1 1 l S\n", b"BT /F1 9 Tf 10 10 Td (1) Tj ET\n", b"q Q\n"])
    return pdf_with_content(op * n, compress=rng.random() < 0.8)


def pdf_pages(rng, data: bytes) -> bytes:
    return pdf_with_content(b"BT /F1 12 Tf 72 720 Td (1) Tj ET", pages=rng.choice([50, 501]))


def pdf_mutation(rng, data: bytes) -> bytes:
    kind = rng.choices(["bytes", "bomb", "operators", "pages", "stream"], weights=[12, 1, 2, 1, 4])[0]
    if kind == "bytes":
        return rng.choice(BYTE_MUTATIONS)(rng, data)
    if kind == "stream":  # damage inside a compressed stream, leaving the trailer whole
        out = bytearray(data)
        pos = data.find(b"stream", rng.randrange(len(data) // 2))
        for _ in range(rng.choice([1, 8, 64])):
            k = rng.randrange(max(pos, 0) + 8, len(out) - 64)
            out[k] = rng.randrange(256)
        return bytes(out)
    return {"bomb": pdf_bomb, "operators": pdf_operators, "pages": pdf_pages}[kind](rng, data)


# ---------------------------------------------------------------- one input
def make_input(seeds: Seeds, reader: str, index: int, seed: int = 0) -> tuple[bytes, str]:
    """Input ``index`` for ``reader``: its bytes and a description of its mutations."""
    rng = random.Random(f"{seed}:{reader}:{index}")
    k = rng.randrange(len(seeds.texts))
    data = seeds.files[reader][k]
    steps = []
    for _ in range(rng.choice([1, 1, 2])):
        try:
            data, what = _mutate(rng, seeds, reader, k, data)
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, UnicodeError, zlib.error):
            # a second zip-level change of an archive the first one broke: bytes instead
            fn = rng.choice(BYTE_MUTATIONS)
            data, what = fn(rng, data), fn.__name__
        steps.append(what)
    return data, f"seed {k}: " + " + ".join(steps)


def _mutate(rng, seeds: Seeds, reader: str, k: int, data: bytes) -> tuple[bytes, str]:
    if reader == "docx":
        before = len(data)
        out = docx_mutation(rng, data)
        return out, f"docx mutation ({before} → {len(out)} bytes)"
    if reader == "pdf":
        if rng.random() < 0.15:  # text-level mutation, rendered again (slow: a few inputs only)
            fn = rng.choice([huge_table, digit_runs, odd_unicode, repeat])
            from nlp.corpus.render import Paragraph
            blocks = [Paragraph(line) for line in fn(rng, seeds.texts[k][:3000]).split("\n")[:400]]
            return render(blocks, "pdf"), f"{fn.__name__} (rendered)"
        fn = pdf_mutation
        return fn(rng, data), "pdf mutation"
    text = data.decode("utf-8", errors="replace")
    pool = TEXT_MUTATIONS + (HTML_MUTATIONS if reader == "html" else [mixed_encodings]) + BYTE_MUTATIONS
    fn = rng.choice(pool)
    if fn in BYTE_MUTATIONS:
        return fn(rng, data), fn.__name__
    out = fn(rng, text)
    return (out if isinstance(out, bytes) else out.encode("utf-8", errors="surrogatepass")), fn.__name__


# ---------------------------------------------------------------- running in a watched child
@dataclass
class Outcome:
    status: str  # "ok" | "typed" | "internal" | "timeout" | "starved" (no CPU to judge it by)
    kind: str | None
    message: str
    seconds: float  # CPU seconds of the child
    peak_mib: float


def run_one(process: Callable[[Path], tuple[str | None, str]], data: bytes, suffix: str, timeout: float,
            memory_mib: int, workdir: Path, wall_factor: float = WALL_FACTOR) -> Outcome:
    """Fork a child that processes ``data`` (as a file ``x{suffix}``) and reports its
    error kind on a pipe; the parent kills it past ``timeout`` seconds."""
    path = workdir / f"input{suffix}"
    path.write_bytes(data)
    read_end, write_end = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(process, path, write_end, memory_mib)
    os.close(write_end)
    # Killed at a wall-clock limit well past the CPU limit: the machine is shared, so an
    # input is judged by the CPU time it used, not by the time others took.
    status, usage, killed = _wait(pid, t0, wall_factor * timeout)
    seconds = time.monotonic() - t0
    with os.fdopen(read_end, "rb") as fh:
        report = fh.read()
    peak = usage.ru_maxrss / 1024 if usage is not None else 0.0
    cpu = usage.ru_utime + usage.ru_stime if usage is not None else seconds
    if killed and cpu < timeout:  # starved by other processes, not slow: no verdict
        return Outcome("starved", None, f"killed after {seconds:.0f} s wall with {cpu:.1f} CPU-s", cpu, peak)
    if killed or cpu > timeout:
        return Outcome("timeout", None, f"over {timeout:.0f} CPU-s ({cpu:.1f} CPU-s, {seconds:.1f} s wall)", cpu, peak)
    try:
        kind, message = json.loads(report.decode("utf-8"))
    except ValueError:
        why = f"child died (signal {os.WTERMSIG(status)})" if os.WIFSIGNALED(status) else "child gave no report"
        return Outcome("internal", "crash", why, seconds, peak)
    outcome = "ok" if kind is None else "internal" if kind in ("internal_error", "untyped") else "typed"
    return Outcome(outcome, kind, message, cpu, peak)


def _child(process, path: Path, fd: int, memory_mib: int) -> None:
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if memory_mib:  # a runaway allocation fails (MemoryError) rather than take the machine
            vm = _vm_size()
            limit = vm + memory_mib * 2 ** 20
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            kind, message = process(path)
        except MemoryError:
            kind, message = "untyped", "MemoryError escaped"
        except Exception as err:  # noqa: BLE001 — this is what the fuzzer looks for
            kind, message = "untyped", f"{type(err).__name__}: {err}"
        os.write(fd, json.dumps([kind, message[:500]]).encode("utf-8"))
    except BaseException:  # noqa: BLE001
        code = 1
    finally:
        os._exit(code)


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _wait(pid: int, t0: float, timeout: float):
    """Wait for the child; kill it past the timeout.  (status, rusage, killed)."""
    delay = 0.001
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage, False
        if time.monotonic() - t0 > timeout:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            return status, usage, True
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def pipeline_process(models: str | Path | None, fallback: bool) -> Callable[[Path], tuple[str | None, str]]:
    """The whole pipeline on one file: (error kind or None, message)."""
    from nlp.pipeline import Pipeline

    pipe = Pipeline.load(models, fallback=fallback)
    for seed in sorted(SEEDS_DIR.glob("*.txt"))[:1]:  # warm up: every lazy import happens here,
        pipe.process(seed, "warm-up")                # once, not again in every child

    def process(path: Path) -> tuple[str | None, str]:
        rec = pipe.process(path, "fuzz")
        if rec.error is not None:
            return rec.error.kind, rec.error.message
        rec.to_json()  # the record must serialize (no NaN-typed surprises, no huge ints)
        return None, f"{len(rec.facts)} facts, {len(rec.findings)} findings"

    return process


# ---------------------------------------------------------------- a run
@dataclass
class Tally:
    inputs: int = 0
    ok: int = 0
    typed: Counter = field(default_factory=Counter)
    internal: list = field(default_factory=list)  # (index, mutation, message)
    slow: list = field(default_factory=list)  # (index, mutation)
    starved: list = field(default_factory=list)  # killed at the wall-clock limit with CPU time to spare
    peak_mib: float = 0.0
    worst_seconds: float = 0.0
    peak_input: str = ""  # the input that took the most memory, and the slowest one
    slowest_input: str = ""

    def add(self, index: int, what: str, out: Outcome) -> None:
        self.inputs += 1
        if out.peak_mib > self.peak_mib:
            self.peak_mib, self.peak_input = out.peak_mib, f"{index} ({what})"
        if out.status != "timeout" and out.seconds > self.worst_seconds:
            self.worst_seconds, self.slowest_input = out.seconds, f"{index} ({what})"
        if out.status == "ok":
            self.ok += 1
        elif out.status == "typed":
            self.typed[out.kind] += 1
        elif out.status == "internal":
            self.internal.append((index, what, f"{out.kind}: {out.message}"))
        elif out.status == "starved":
            self.starved.append((index, what))
        else:
            self.slow.append((index, what))

    def row(self, reader: str) -> dict:
        return {"reader": reader, "inputs": self.inputs, "clean": self.ok, "typed_errors": sum(self.typed.values()),
                "typed_by_kind": dict(self.typed.most_common()), "internal_errors": len(self.internal),
                "over_timeout": len(self.slow), "starved": len(self.starved), "worst_cpu_seconds": round(self.worst_seconds, 2),
                "slowest_input": self.slowest_input, "peak_mib": round(self.peak_mib), "peak_input": self.peak_input}


def fuzz(readers: tuple[str, ...], count: int, *, seed: int = 0, timeout: float = 10.0, memory_mib: int = 2048,
         models: str | Path | None = None, fallback: bool = False, start: int = 0, log: Callable[[str], None] | None = None,
         process: Callable | None = None) -> dict[str, Tally]:
    """Inputs ``start … start+count-1`` of every reader; a :class:`Tally` per reader."""
    import logging
    import warnings

    warnings.filterwarnings("ignore")  # zipfile's duplicate names, pdfminer's notes: expected here
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    seeds = load_seeds(readers)
    process = process or pipeline_process(models, fallback)
    tallies = {r: Tally() for r in readers}
    with tempfile.TemporaryDirectory(prefix="govreport-fuzz-") as tmp:
        for i in range(start, start + count):
            for reader in readers:
                data, what = make_input(seeds, reader, i, seed)
                out = run_one(process, data, "." + reader, timeout, memory_mib, Path(tmp))
                for factor in (4 * WALL_FACTOR, 16 * WALL_FACTOR):  # a busy machine: let it run longer
                    if out.status != "starved":
                        break
                    out = run_one(process, data, "." + reader, timeout, memory_mib, Path(tmp), factor)
                tallies[reader].add(i, what, out)
                if log and out.status in ("internal", "timeout", "starved"):
                    log(f"{reader}:{i} {out.status} ({what}): {out.kind} {out.message}")
            if log and (i + 1 - start) % 100 == 0:
                log(json.dumps({"done": i + 1 - start, **{r: t.row(r) for r, t in tallies.items()}},
                               ensure_ascii=False))
    return tallies


def print_table(tallies: dict[str, Tally], timeout: float) -> None:
    print(f"| reader | inputs | clean | typed errors | internal errors | over {timeout:.0f} CPU-s | "
          f"slowest (CPU-s) | worst memory (MiB) |")
    print("|---|---|---|---|---|---|---|---|")
    for reader, t in tallies.items():
        print(f"| {reader} | {t.inputs:,} | {t.ok:,} | {sum(t.typed.values()):,} | {len(t.internal)} | "
              f"{len(t.slow)} | {t.worst_seconds:.1f} | {t.peak_mib:.0f} |")
    for reader, t in tallies.items():
        print(f"{reader}: slowest input {t.slowest_input}; most memory {t.peak_input}")
        if t.typed:
            print(f"{reader} typed errors: " + ", ".join(f"{k} {n}" for k, n in t.typed.most_common()))
        for index, what, message in t.internal[:20]:
            print(f"  INTERNAL {reader}:{index} ({what}): {message}")
        for index, what in t.slow[:20]:
            print(f"  SLOW {reader}:{index} ({what})")
        for index, what in t.starved[:20]:
            print(f"  NO VERDICT {reader}:{index} ({what}): the machine gave it too little CPU")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m nlp.fuzz", description=__doc__.split("\n\n")[0])
    ap.add_argument("--readers", default=",".join(READERS), help="comma-separated: txt,docx,html,pdf")
    ap.add_argument("--count", type=int, default=200, help="inputs per reader")
    ap.add_argument("--start", type=int, default=0, help="first input index (to continue a run)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=10.0,
                    help=f"CPU seconds an input may take (killed after {WALL_FACTOR}x this in wall-clock time)")
    ap.add_argument("--memory-mib", type=int, default=2048, help="address space a child may add (0: no cap)")
    ap.add_argument("--models", default=None, help="models folder (default: the shipped models)")
    ap.add_argument("--fallback", action="store_true", help="rule baselines for missing models")
    ap.add_argument("--only", help="replay one input, READER:INDEX, and print its outcome")
    ap.add_argument("--json", help="write the per-reader figures here")
    args = ap.parse_args(argv)
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    if args.only:
        reader, index = args.only.split(":")
        tallies = fuzz((reader,), 1, seed=args.seed, timeout=args.timeout, memory_mib=args.memory_mib,
                       models=args.models, fallback=args.fallback, start=int(index), log=log)
    else:
        readers = tuple(r for r in args.readers.split(",") if r)
        unknown = set(readers) - set(READERS)
        if unknown:
            ap.error(f"unknown readers {sorted(unknown)}; expected some of {', '.join(READERS)}")
        tallies = fuzz(readers, args.count, seed=args.seed, timeout=args.timeout, memory_mib=args.memory_mib,
                       models=args.models, fallback=args.fallback, start=args.start, log=log)
    print_table(tallies, args.timeout)
    if args.json:
        Path(args.json).write_text(json.dumps([t.row(r) | {"internal": t.internal, "slow": t.slow}
                                               for r, t in tallies.items()], ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    return 1 if any(t.internal or t.slow for t in tallies.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
