"""How likely a candidate claim is to be right: a logistic model over what the rules saw, calibrated.

The rules propose; this ranks. Each candidate is described by a few dozen facts the rules already
know (its type, how its place and its subject were found, who says it, whether it is hedged,
negated, in a headline, a reference across sentences ...), and a logistic regression trained on the
development corpora weighs them (`python -m geo train-scorer`, which needs scikit-learn: `pip install
-e '.[train]'`). Its out-of-fold probabilities are then calibrated by isotonic regression, so that
a confidence of 0.8 means about eight right in ten on articles it was not trained on. Candidates
below the `floor` chosen on the development corpora are not proposed at all. The model is a small
JSON file (`claims/scorer.json`), read with no dependency beyond the standard library.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geo.bundled import bundled
from geo.errors import ClaimError

DEFAULT_SCORER = bundled("claims") / "scorer.json"
#: A candidate's description: feature name -> value (1.0 for a fact that holds).
Features = dict[str, float]


@dataclass(frozen=True)
class Scorer:
    weights: Mapping[str, float]
    bias: float
    #: Isotonic calibration: raw probabilities (ascending) and the share of right candidates at each.
    raw: tuple[float, ...]
    calibrated: tuple[float, ...]
    floor: float  # candidates whose confidence is below it are not proposed
    trained_on: str = ""

    def raw_probability(self, features: Features) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def confidence(self, features: Features) -> float:
        """The calibrated probability that the candidate is right."""
        return calibrate(self.raw_probability(features), self.raw, self.calibrated)

    @property
    def highest(self) -> float:
        """The highest confidence the scorer gives: its best band's share of right candidates in
        cross-validation. Below a bulk-accept threshold, that threshold accepts nothing, and the
        reviewer should be told why."""
        return max(self.calibrated, default=1.0)

    def to_json(self) -> str:
        data = {
            "about": "geo/extraction/scoring.py: logistic weights over candidate features, isotonic calibration",
            "trained_on": self.trained_on,
            "bias": round(self.bias, 6),
            "floor": self.floor,
            "calibration": [[round(r, 6), round(c, 6)] for r, c in zip(self.raw, self.calibrated, strict=True)],
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if abs(v) > 1e-9},
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def calibrate(p: float, raw: Sequence[float], calibrated: Sequence[float]) -> float:
    """Piecewise-linear interpolation of the isotonic map, flat beyond its ends."""
    if not raw:
        return p
    i = bisect_right(raw, p)
    if i == 0:
        return calibrated[0]
    if i == len(raw):
        return calibrated[-1]
    x0, x1, y0, y1 = raw[i - 1], raw[i], calibrated[i - 1], calibrated[i]
    return y0 if x1 == x0 else y0 + (y1 - y0) * (p - x0) / (x1 - x0)


@lru_cache(maxsize=4)
def load_scorer(path: Path = DEFAULT_SCORER) -> Scorer:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        points = data["calibration"]
        return Scorer(
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["bias"]),
            tuple(float(r) for r, _ in points),
            tuple(float(c) for _, c in points),
            float(data["floor"]),
            str(data.get("trained_on", "")),
        )
    except FileNotFoundError as err:
        raise ClaimError("no scorer file; train one with `python -m geo train-scorer`", path=path) from err
    except (ValueError, KeyError, TypeError) as err:
        raise ClaimError(f"not a scorer file ({err}); train one with `python -m geo train-scorer`", path=path) from err
