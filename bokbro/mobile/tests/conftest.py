from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "mobile-libraries"
if not DATA.exists():  # a worktree beside main, or main itself
    DATA = Path("/work/shared/data/mobile-libraries")
CSV_FILES = sorted(DATA.glob("*.csv"))
