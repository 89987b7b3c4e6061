"""Text-path throughput of two code trees, measured turn about in the same conditions.

On a shared machine CPU time moves with the load of others, so two runs of text_path.py
minutes apart do not compare. Here each tree runs in a live worker process (models loaded
and warmed up once), and the two are asked in turn for a pass of the same documents:
every pass of one tree has a pass of the other beside it.

    python bench/compare_text_path.py OTHER_TREE [PASSES]

OTHER_TREE is a checkout of the project (e.g. `git archive COMMIT | tar -x -C DIR`); the
tree this file is in is the other. Prints docs per CPU-second, best and median, for each.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
DOCS = 200

# The worker puts its tree first on the path: an editable install may point elsewhere.
WORKER = """
import itertools, sys, time
from pathlib import Path
root = Path(sys.argv[1])
sys.path.insert(0, str(root))
import pipeline
assert Path(pipeline.__file__).resolve().is_relative_to(root.resolve()), pipeline.__file__
from pipeline.batch.scan import scan
from pipeline.extract import extract
from pipeline.ingest import read_document
from pipeline.process import freeze_loaded_models
from pipeline.segment import segment
files = [Path(f.path) for f in scan([root / "corpus" / fmt for fmt in ("txt", "pdf", "docx")]).files]
for path in files:
    extract(segment(read_document(path)))
freeze_loaded_models()
print("ready", flush=True)
for _ in sys.stdin:
    started = time.process_time()
    for path in itertools.islice(itertools.cycle(files), int(sys.argv[2])):
        extract(segment(read_document(path)))
    print(int(sys.argv[2]) / (time.process_time() - started), flush=True)
"""


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    trees = {"other": Path(sys.argv[1]).resolve(), "this": HERE}
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    workers = {
        name: subprocess.Popen([sys.executable, "-c", WORKER, str(root), str(DOCS)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for name, root in trees.items()
    }
    for worker in workers.values():
        if worker.stdout.readline().strip() != "ready":
            return 1
    rates: dict[str, list[float]] = {name: [] for name in trees}
    for index in range(passes):
        for name in list(trees)[:: 1 if index % 2 == 0 else -1]:  # who goes first alternates too
            workers[name].stdin.write("go\n")
            workers[name].stdin.flush()
            rates[name].append(float(workers[name].stdout.readline()))
    for worker in workers.values():
        worker.stdin.close()
        worker.wait()
    for name, values in rates.items():
        print(f"{name} ({trees[name]}): per CPU-second best {max(values):.1f} docs, median {statistics.median(values):.1f} "
              f"({' '.join(f'{v:.1f}' for v in values)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
