"""The data files a call reads are parsed at start-up, so no call's first turn stalls the loop."""

from __future__ import annotations

from lingxi.preload import loaders, preload_data


def test_every_loader_is_cached_so_start_up_parses_each_file_once() -> None:
    preload_data()
    for load in loaders():
        inner = getattr(load, "cache_info", None)
        if inner is None:  # a language's dialogue: the cached function behind the lambda
            continue
        hits = inner().hits
        load()
        assert inner().hits == hits + 1, f"{load} parsed its file again"
