"""How well the shipped detector sees through disguised words, on real posts.

Takes the ISCA tweets labelled antisemitic in the dev and test splits, disguises every
group word in them ("Jews", "Israel", "Zionist", "Nazi", "kike", "Holocaust" and their
forms) the way evasive posters do, with Cyrillic look-alike letters or letters split by
dots, and prints the share flagged before and after, for the whole detector and for its
transformer alone (at 0.5). A reporting check like the probes: nothing is tuned on it.

    .venv/bin/python probes/evaluate_evasions.py [--data-dir ../shared/data]
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from tropewatch.detector import detect_batch, model_version
from tropewatch.detector.pipeline import load_detector
from tropewatch.detector.training.dataset import load_isca

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
GROUP_WORDS = re.compile(
    r"(?i)\b(jews?|jewish|israel\w*|zionazis?|zionists?|zios?|kikes?|holocaust|nazis?)\b")
LOOKALIKES = {"a": "а", "e": "е", "o": "о", "i": "і", "c": "с"}  # Cyrillic
SEED = 13


def disguise(text: str, rng: random.Random) -> str:
    def one(match: re.Match[str]) -> str:
        word = match.group(0)
        if rng.random() < 0.5:
            return "".join(LOOKALIKES.get(char, char) for char in word)
        return ".".join(word)

    return GROUP_WORDS.sub(one, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA)
    args = parser.parse_args()
    isca, _ = load_isca(args.data_dir)
    rng = random.Random(SEED)
    transformer = load_detector().transformer
    print(f"model {model_version()}; ISCA tweets labelled antisemitic with a group word")
    print(f"{'split':<6} {'n':>4}  {'flagged':>8} {'disguised':>9}  "
          f"{'transformer':>11} {'disguised':>9}")
    for split in ("dev", "test"):
        plain = [e.text for e in isca if e.split == split and e.label == 1
                 and GROUP_WORDS.search(e.text)]
        disguised = [disguise(text, rng) for text in plain]
        flagged = [sum(v.antisemitic for v in detect_batch(texts)) / len(texts)
                   for texts in (plain, disguised)]
        model = [float((transformer.predict_proba(texts) > 0.5).mean())
                 for texts in (plain, disguised)]
        print(f"{split:<6} {len(plain):>4}  {flagged[0]:>8.1%} {flagged[1]:>9.1%}  "
              f"{model[0]:>11.1%} {model[1]:>9.1%}")


if __name__ == "__main__":
    main()
