"""`python build.py` does exactly what `ncg-digest build` does (options included)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from ncg_digest.cli import run  # noqa: E402

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
