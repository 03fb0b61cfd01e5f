"""Benchmark of the sweep a worker makes when it starts, over a storage of many kept files.

The sweep reads only the notes of files being written (`core.storage`); before, it listed every
file kept and read each one's date. Both are measured in the same run on the same files: the
sweep, and the floor it replaced (listing every file with its date). Last line: one JSON object.

    .venv/bin/python bench/orphan_sweep.py [--files 20000] [--lost 20]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--lost", type=int, default=20)
    args = parser.parse_args()
    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="cchc-sweep-") as media:
        settings.MEDIA_ROOT = media
        common.fresh_database(pages=False)
        print(json.dumps(measure(Path(media), args.files, args.lost), sort_keys=True))


def measure(media: Path, files: int, lost: int) -> dict:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import transaction

    from core import worker
    from core.backup import stored_names

    # Files kept long ago (written straight to disk: a committed save leaves no note).
    for i in range(files):
        folder = media / "evidence" / str(i % 200)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:08x}.pdf").write_bytes(b"%PDF-1.7")
    # Saves killed before their transaction ended.
    for i in range(lost):
        try:
            with transaction.atomic():
                default_storage.save(f"evidence/lost/{i}.pdf", ContentFile(b"%PDF-1.7"))
                raise RuntimeError
        except RuntimeError:
            pass
    old = time.time() - 2 * 3600
    for note in (media / "pending").iterdir():
        os.utime(note, (old, old))

    started = time.perf_counter()
    dated = [default_storage.get_modified_time(name) for name in stored_names()]
    floor_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    removed = worker.sweep_orphan_files()
    sweep_ms = (time.perf_counter() - started) * 1000
    assert removed == lost, removed
    started = time.perf_counter()
    again = worker.sweep_orphan_files()
    idle_ms = (time.perf_counter() - started) * 1000
    return {
        "kept_files_count": files,
        "listed_files_count": len(dated),
        "lost_files_set_aside_count": removed,
        "list_every_file_ms": round(floor_ms, 1),
        "sweep_ms": round(sweep_ms, 1),
        "sweep_nothing_left_ms": round(idle_ms, 2),
        "sweep_to_listing_ratio": round(sweep_ms / floor_ms, 4),
        "second_sweep_set_aside_count": again,
    }


if __name__ == "__main__":
    main()
