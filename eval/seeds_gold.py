"""The two sample reports against ../shared/gold/seeds.json, without a store.

    .venv/bin/python eval/seeds_gold.py [--shared ../shared]

Runs the pipeline on ../shared/seeds, writes the export to a temporary file
and runs ../shared/tools/check_gold.py on it.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from newstrace.pipeline import process_batch
from newstrace.readers import read_paths
from newstrace.model import Document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--keep", help="also write the export here")
    args = parser.parse_args()
    shared = Path(args.shared)
    docs = [d.to_dict() for d in process_batch(read_paths([str(shared / "seeds")])) if isinstance(d, Document)]
    out = Path(args.keep) if args.keep else Path(tempfile.mkstemp(suffix=".json")[1])
    out.write_text(json.dumps({"documents": docs}, ensure_ascii=False, indent=1), encoding="utf-8")
    return subprocess.call([sys.executable, str(shared / "tools" / "check_gold.py"), "--gold", str(shared / "gold" / "seeds.json"), str(out)])


if __name__ == "__main__":
    sys.exit(main())
