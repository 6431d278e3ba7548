"""The extraction dev figures, computed in one process (one import of the pipeline).

  .venv/bin/python benchmarks/dev_figures.py [real-dev|plover|seeds ...] [-v]

Prints, per set, what `../shared/eval/score.py` (articles) and `../shared/eval/score_plover.py`
(PLOVER records) print; `tests/test_dev_sets.py` holds floors under these figures. The article
sets are the same ones as `score.py --cmd 'pantau extract --format json {path}'` scores, predicted
in-process and scored with `--pred`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"
ARTICLE_SETS = {
    "real-dev": (EVAL / "gold-real-dev", SHARED / "corpus" / "real-dev"),
    "seeds": (EVAL / "gold", SHARED / "corpus" / "seeds"),
}
PLOVER_DEV = EVAL / "plover-gsr" / "dev.json"


class MissingData(RuntimeError):
    pass


def _need(path: Path) -> Path:
    if not path.exists():
        raise MissingData(f"{path} is missing (../shared must be beside the checkout)")
    return path


def score_articles(name: str, verbose: bool = False) -> dict:
    """Totals of score.py for one article set (actors, events, dates, published …)."""
    from pantau.services.extracting import extract_path

    gold_dir, corpus = (_need(p) for p in ARTICLE_SETS[name])
    scorer = _need(EVAL / "score.py")
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp)
        for g in sorted(gold_dir.glob("*.json")):
            doc = corpus / json.loads(g.read_text())["doc"]
            out = extract_path(str(_need(doc))).to_dict()
            (pred / f"{doc.stem}.json").write_text(json.dumps(out, ensure_ascii=False))
        args = [sys.executable, str(scorer), "--gold", str(gold_dir), "--pred", str(pred), "--json"]
        if verbose:
            subprocess.run(args[:-1] + ["-v"], check=True)
        res = subprocess.run(args, capture_output=True, text=True, timeout=300, check=True)
    return json.loads(next(ln for ln in res.stdout.splitlines() if ln.startswith("{")))


def score_plover(verbose: bool = False) -> dict:
    """(records, type accuracy, full match) of score_plover.py on the PLOVER dev half."""
    _need(PLOVER_DEV)
    scorer = _need(EVAL / "score_plover.py")
    res = subprocess.run([sys.executable, str(scorer), str(PLOVER_DEV)] + (["-v"] if verbose else []),
                         capture_output=True, text=True, timeout=900, check=True, cwd=ROOT)
    if verbose:
        print(res.stdout)
    last = res.stdout.strip().splitlines()[-1].split()
    return {"records": int(last[1]), "type": float(last[7]), "full": float(last[-1])}


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if not a.startswith("-")] or ["real-dev", "plover", "seeds"]
    for name in names:
        if name == "plover":
            print("plover", json.dumps(score_plover(verbose)))
        else:
            s = score_articles(name, verbose)
            print(name, json.dumps({k: s[k] for k in ("actors", "events", "dates", "published")}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
