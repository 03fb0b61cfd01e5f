"""Speed of reading plan documents with ingest.documents.read_plan.

For every seed document (every format present in DIR: .txt, .docx, .pdf, .xlsx) it times
read_plan over --repeat runs from memory (median and p95 seconds), then a batch of --batch
documents cycling the seeds, read from memory one after the other (wall time). In the same run a
floor is timed the same way: reading the bytes and folding the document's text with
core.text.fold, the least any reader must do, so that "x times the floor" can be read. The last
line is one JSON object with every figure, named with units.

    .venv/bin/python bench/ingest_speed.py [fixtures/seeds] [--repeat 30] [--batch 100]
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Importing the accuracy benchmark sets Django up, which read_plan needs.
from bench.ingest_accuracy import document_id, plan_documents
from core.text import fold
from ingest.documents import read_plan

SEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "seeds"


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    work()  # warm: imports, regex compilation and caches are not what is measured
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return sorted(times)


def p95(times: Sequence[float]) -> float:
    return times[int(0.95 * (len(times) - 1))]


def main(argv: Sequence[str] | None = None) -> dict[str, float | int]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("directory", type=Path, nargs="?", default=SEEDS)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args(argv)

    paths = plan_documents(args.directory, with_expected=False)
    if not paths:
        sys.exit(f"No .txt/.docx/.pdf/.xlsx documents in {args.directory}")
    contents = {path: path.read_bytes() for path in paths}
    # The text each reader finds, read once outside the timing, is what the floor folds.
    texts: dict[Path, str] = {}
    skipped = 0
    for path, data in contents.items():
        try:
            texts[path] = read_plan(path.name, io.BytesIO(data))[0].text
        except Exception as error:  # a format with no reader yet is reported, not timed
            skipped += 1
            print(f"{path.name:52} skipped: {type(error).__name__}: {error}")
    paths = [path for path in paths if path in texts]
    if not paths:
        sys.exit("No document could be read.")

    def read(path: Path) -> None:
        read_plan(path.name, io.BytesIO(contents[path]))

    def floor(path: Path) -> None:
        io.BytesIO(contents[path]).read()
        fold(texts[path])

    figures: dict[str, float | int] = {
        "repeat_count": args.repeat,
        "skipped_documents_count": skipped,
    }
    for path in paths:
        ident = document_id(path)
        reads = timed(lambda path=path: read(path), args.repeat)
        floors = timed(lambda path=path: floor(path), args.repeat)
        median, floor_median = statistics.median(reads), statistics.median(floors)
        figures[f"{ident}_read_s_median"] = round(median, 6)
        figures[f"{ident}_read_s_p95"] = round(p95(reads), 6)
        figures[f"floor_{ident}_s_median"] = round(floor_median, 6)
        figures[f"{ident}_over_floor_ratio"] = round(median / floor_median, 1)
        figures[f"{ident}_bytes"] = len(contents[path])
        print(
            f"{path.name:52} read median {median * 1000:8.2f} ms  p95 {p95(reads) * 1000:8.2f} ms"
            f"  floor {floor_median * 1000:6.3f} ms"
        )

    batch = [paths[i % len(paths)] for i in range(args.batch)]
    start = time.perf_counter()
    for path in batch:
        read(path)
    wall = time.perf_counter() - start
    start = time.perf_counter()
    for path in batch:
        floor(path)
    floor_wall = time.perf_counter() - start
    name = f"batch_{args.batch}"
    figures[f"{name}_s"] = round(wall, 4)
    figures[f"{name}_documents_per_s"] = round(args.batch / wall, 1)
    figures[f"floor_{name}_s"] = round(floor_wall, 6)
    figures[f"{name}_over_floor_ratio"] = round(wall / floor_wall, 1)
    rate = args.batch / wall
    print(f"{args.batch} documents: {wall:.3f} s ({rate:.1f}/s), floor {floor_wall:.4f} s")
    print(json.dumps(figures, sort_keys=True))
    return figures


if __name__ == "__main__":
    main()
