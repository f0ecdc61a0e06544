"""The package's YAML data parsed once per machine (``nlp.datacache``): what the cache gives
back is what YAML gave, an edited text is parsed afresh, and a cache that cannot be used
is passed over."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import nlp.datacache as datacache
from nlp.datacache import load_data_yaml
from nlp.types import loads_yaml

DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(datacache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The texts YAML was asked to parse."""
    seen: list[str] = []
    monkeypatch.setattr(datacache, "loads_yaml", lambda text: seen.append(text) or loads_yaml(text))
    return seen


@pytest.mark.parametrize("path", sorted(DATA.rglob("*.yaml")), ids=lambda p: p.name)
def test_every_data_file_comes_back_from_the_cache_as_yaml_parsed_it(path, cache, parses):
    text = path.read_text(encoding="utf-8")
    first, again = load_data_yaml(text), load_data_yaml(text)
    assert first == again == loads_yaml(text)
    assert parses == [text], "parsed again although cached"


def test_keys_that_are_not_strings_stay_what_they_were(cache, parses):
    text = 'l: [{3: b, x: [4, true]}]\n1: one\n2.5: a\nfalse: no\nnull: ~\n"\\0pairs": z\n'
    assert load_data_yaml(text) == load_data_yaml(text) == loads_yaml(text)
    assert len(parses) == 1
    assert set(load_data_yaml(text)) == {"l", 1, 2.5, False, None, "\0pairs"}
    assert [type(k) for k in load_data_yaml(text)] == [str, int, float, bool, type(None), str]
    assert set(load_data_yaml(text)["l"][0]) == {3, "x"}


def test_data_json_cannot_hold_is_parsed_every_time(cache, parses):
    text = "day: 2024-01-31\n"
    assert load_data_yaml(text) == load_data_yaml(text) == {"day": datetime.date(2024, 1, 31)}
    assert len(parses) == 2 and not list(cache.glob("*"))


def test_an_edited_text_is_parsed_afresh(cache, parses):
    assert load_data_yaml("a: 1\n") == {"a": 1}
    assert load_data_yaml("a: 2\n") == {"a": 2}
    assert len(parses) == 2


def test_a_garbled_cache_file_is_replaced(cache, parses):
    load_data_yaml("a: [1, 2]\n")
    (kept,) = cache.glob("*.json")
    kept.write_bytes(b"\x00 not json")
    assert load_data_yaml("a: [1, 2]\n") == {"a": [1, 2]} and len(parses) == 2
    assert load_data_yaml("a: [1, 2]\n") == {"a": [1, 2]} and len(parses) == 2


def test_an_unwritable_cache_or_none_at_all_still_parses(tmp_path, monkeypatch, parses):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(datacache.CACHE_ENV, str(blocker / "cache"))
    assert load_data_yaml("a: 1\n") == {"a": 1}
    monkeypatch.setenv(datacache.CACHE_ENV, "")
    assert datacache.cache_folder() is None
    assert load_data_yaml("a: 1\n") == load_data_yaml("a: 1\n") == {"a": 1}
    assert len(parses) == 3 and not list(tmp_path.rglob("*.tmp"))
