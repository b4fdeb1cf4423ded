"""The two sample reports against ../shared/gold/seeds.json.

    .venv/bin/python eval/seeds_gold.py [--shared ../shared] [--keep corpus.json] [--db postgresql://...]

Ingests ../shared/seeds into a temporary store (extraction and linking, as
`newstrace ingest` does), exports it, and runs ../shared/tools/check_gold.py.
`--db` takes an empty store instead (a PostgreSQL URL, say), so the gold is
checked on either backend.
"""
import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from newstrace.export import write_json
from newstrace.ingest import ingest
from newstrace.store import open_store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--keep", help="also write the export here")
    parser.add_argument("--db", help="an empty store to ingest into (default: a temporary SQLite file)")
    args = parser.parse_args()
    shared = Path(args.shared)
    out = Path(args.keep) if args.keep else Path(tempfile.mkstemp(suffix=".json")[1])
    with tempfile.TemporaryDirectory() as tmp, open_store(args.db or str(Path(tmp) / "seeds.db")) as store:
        ingest([str(shared / "seeds")], store)
        with open(out, "w", encoding="utf-8") as handle:
            write_json(store, handle)
    return subprocess.call([sys.executable, str(shared / "tools" / "check_gold.py"), "--gold", str(shared / "gold" / "seeds.json"), str(out)])


if __name__ == "__main__":
    sys.exit(main())
