"""Training the scorer (`geo.extraction.scoring`) on annotated development corpora.

Every candidate the rules read in a development article is labelled right or wrong the way
`geo evaluate` scores it (same type and subject, at the same place or within `NEAR_KM`). A logistic
regression is fitted with articles kept together in cross-validation folds, so that each
candidate's out-of-fold probability comes from a model that never saw its article; isotonic
regression on those probabilities makes the calibration, and the floor is the lowest confidence
below which dropping candidates gives, out of fold, the corpora's best claim F1 within noise. scikit-learn is needed
here only (`pip install -e '.[train]'`); the result is a plain JSON file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from geo.claims.model import Vocabulary
from geo.errors import ClaimError
from geo.extraction.corpus import Corpus
from geo.extraction.evaluate import match, near, reliability
from geo.extraction.extract import CandidateClaim, described
from geo.extraction.scoring import Features, Scorer, calibrate
from geo.places.gazetteer import Gazetteer

FOLDS = 5
#: Inverse regularisation strengths tried; the one with the best out-of-fold log loss is kept.
STRENGTHS = (0.03, 0.1, 0.3, 1.0, 3.0)
FLOORS = tuple(round(0.02 * i, 2) for i in range(26))
#: Out-of-fold F1 differences below this (about three candidates in a thousand) are noise.
FLOOR_TOLERANCE = 0.005


@dataclass(frozen=True)
class Example:
    article: str  # corpus folder and document
    group: str  # the unit kept together in cross-validation: its writer, else the article
    candidate: CandidateClaim
    features: Features
    right: bool


@dataclass(frozen=True)
class Training:
    scorer: Scorer
    examples: int
    articles: int
    strength: float
    oof_f1: dict[float, float]  # floor -> out-of-fold claim F1 of the corpora
    oof_reliability: list[tuple[float, float, int, float]]  # (from, to, candidates, share right), out of fold


def examples(
    corpora: Sequence[Corpus], gazetteer: Gazetteer
) -> tuple[list[Example], dict[str, list[tuple[str, str, str]]]]:
    """Every candidate of every article, labelled; and each article's annotated claims."""
    out: list[Example] = []
    wanted: dict[str, list[tuple[str, str, str]]] = {}
    for corpus in corpora:
        for article in corpus.articles:
            name = f"{corpus.root.name}/{article.document}"
            claims = list({(c.place_id, c.type, c.subject) for c in article.claims})
            wanted[name] = claims
            found = described(corpus.texts[article.document], article.published, gazetteer=gazetteer)
            for candidate, features in found:
                right = any(
                    kind == candidate.type
                    and subject == candidate.faction
                    and near(candidate.place_id, place, gazetteer)
                    for place, kind, subject in claims
                )
                out.append(Example(name, article.writer or name, candidate, features, right))
    return out, wanted


def train(corpora: Sequence[Corpus], gazetteer: Gazetteer, vocabulary: Vocabulary) -> Training:
    try:
        import numpy as np
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.isotonic import IsotonicRegression
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import log_loss
        from sklearn.model_selection import GroupKFold
    except ImportError as err:
        raise ClaimError("training the scorer needs scikit-learn: pip install -e '.[train]'") from err
    rows, wanted = examples(corpora, gazetteer)
    if len({r.right for r in rows}) < 2:
        raise ClaimError("training needs right and wrong candidates; annotate more articles")
    vectorizer = DictVectorizer(sparse=False)
    x = vectorizer.fit_transform([r.features for r in rows])
    y = np.array([r.right for r in rows], dtype=int)
    # Writers kept apart where there are several; with one writer, articles (a small corpus).
    groups = np.array([r.group for r in rows] if len({r.group for r in rows}) >= 2 else [r.article for r in rows])
    if len(set(groups)) < 2:
        raise ClaimError("training needs candidates from at least two articles; annotate more")
    folds = list(GroupKFold(n_splits=min(FOLDS, len(set(groups)))).split(x, y, groups))

    def out_of_fold(strength: float) -> np.ndarray:
        p = np.zeros(len(rows))
        for fit_on, held in folds:
            model = LogisticRegression(C=strength, max_iter=5000).fit(x[fit_on], y[fit_on])
            p[held] = model.predict_proba(x[held])[:, 1]
        return p

    losses = {c: log_loss(y, out_of_fold(c)) for c in STRENGTHS}
    strength = min(losses, key=lambda c: losses[c])
    raw_oof = out_of_fold(strength)
    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw_oof, y)
    xs, ys = _points(
        isotonic.X_thresholds_,
        _lower_bounds(isotonic.predict(raw_oof).tolist(), y.tolist(), isotonic.y_thresholds_.tolist()),
    )
    confidence = np.array([calibrate(p, xs, ys) for p in raw_oof])
    f1 = {floor: _corpus_f1(rows, confidence.tolist(), floor, wanted, gazetteer) for floor in FLOORS}
    # The curve is flat near its top; a higher floor within a few candidates' worth of the best
    # buys nothing measurable and costs recall on text unlike the corpora's.
    top = max(f1.values())
    best = min(t for t in f1 if f1[t] >= top - FLOOR_TOLERANCE)
    model = LogisticRegression(C=strength, max_iter=5000).fit(x, y)
    weights = dict(zip(vectorizer.get_feature_names_out(), (float(w) for w in model.coef_[0]), strict=True))
    names = ", ".join(sorted({c.root.name for c in corpora}))
    scorer = Scorer(
        weights,
        float(model.intercept_[0]),
        xs,
        ys,
        best,
        f"{names}: {len(wanted)} articles, {len(rows)} candidates, C={strength}, {dt.date.today().isoformat()}",
    )
    return Training(scorer, len(rows), len(wanted), strength, f1, reliability(confidence.tolist(), y.tolist()))


#: One-sided normal quantile of the lower bound that a confidence states: 1.28, so a candidate's
#: confidence is the share of right candidates like it that is exceeded nine times in ten.
Z = 1.2816


def _lower_bounds(fitted: Sequence[float], right: Sequence[int], levels: Sequence[float]) -> list[float]:
    """Each isotonic level replaced by the Wilson lower bound of the share right among the
    candidates it covers, kept rising: a confidence states what is very likely true, not the mean
    of a few dozen examples, and it never says 1.0."""
    out = []
    for level in levels:
        n = sum(1 for f in fitted if abs(f - level) < 1e-12)
        k = sum(r for f, r in zip(fitted, right, strict=True) if abs(f - level) < 1e-12)
        out.append(_wilson_low(k, n) if n else float(level))
    rising: list[float] = []
    for v in out:
        rising.append(max(v, rising[-1]) if rising else v)
    return rising


def _wilson_low(k: int, n: int) -> float:
    p = k / n
    centre = p + Z * Z / (2 * n)
    spread = Z * ((p * (1 - p) + Z * Z / (4 * n)) / n) ** 0.5
    return float((centre - spread) / (1 + Z * Z / n))


def _points(xs: Sequence[float], ys: Sequence[float]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The isotonic map's breakpoints, rounded and with repeated x values merged."""
    out: dict[float, float] = {}
    for x, y in zip(xs, ys, strict=True):
        out[round(float(x), 6)] = round(float(y), 6)
    keys = sorted(out)
    return tuple(keys), tuple(out[k] for k in keys)


def _corpus_f1(
    rows: Sequence[Example],
    confidence: Sequence[float],
    floor: float,
    wanted: dict[str, list[tuple[str, str, str]]],
    gazetteer: Gazetteer,
) -> float:
    """Claim F1 over the corpora if the candidates below `floor` were left out, scored as `geo evaluate` does."""
    kept: dict[str, dict[tuple[str, str, str], CandidateClaim]] = {}
    for row, c in zip(rows, confidence, strict=True):
        if c >= floor:
            kept.setdefault(row.article, {})[(row.candidate.place_id, row.candidate.type, row.candidate.faction)] = (
                row.candidate
            )
    tp = fp = fn = 0
    for article, claims in wanted.items():
        found = list(kept.get(article, {}).values())
        matched = match(found, claims, gazetteer)
        tp += len(matched)
        fp += len(found) - len(matched)
        fn += len(claims) - len(matched)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0
