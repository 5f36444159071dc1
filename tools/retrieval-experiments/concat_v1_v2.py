"""Label-free: MobileNet v1 and v2 embeddings of the same catalog concatenated. Each model's vectors
are power-normalised (signed square root, unless the cache's preprocessing id already records
power=0.5) and L2-normalised, then weighted, concatenated and L2-normalised again; with weights
w1:w2 the cosine of two products is (w1^2 cos_v1 + w2^2 cos_v2) / (w1^2 + w2^2). Scored leave-one-out
over the catalog (as `fashion eval`'s exact column) and on the same seeded 5-fold held-out split as
supervised_lda.py and reranking.py (each fold's products are queries against the other four folds).
No labels are used except by the metric.

  /usr/bin/python3 concat_v1_v2.py CATALOG_DIR V1_INDEX/cache/FILE.emb V2_INDEX/cache/FILE.emb
"""
import sys

import numpy as np
from sklearn.model_selection import KFold

from fsembed import load, read_cache
from metrics import evaluate, l2n, line

WEIGHTS = ((1.0, 1.0), (2.0, 1.0), (1.0, 2.0))


def power_l2(x, cache):
    """The cache's vectors power- and L2-normalised (not twice if the cache already is)."""
    if 'power=0.5' in read_cache(cache)[1][2]:
        return l2n(x)
    return l2n(np.sign(x) * np.sqrt(np.abs(x)))


def aligned(catalog, cache1, cache2):
    """Both caches' vectors for the products found in both, in catalog order."""
    x1, lab1 = load(catalog, cache1)
    x2, lab2 = load(catalog, cache2)
    pos2 = {lab[0]: i for i, lab in enumerate(lab2)}
    keep = [i for i, lab in enumerate(lab1) if lab[0] in pos2]
    labels = [lab1[i] for i in keep]
    print(f'# {len(labels)} products in both caches')
    return (power_l2(x1[keep], cache1), power_l2(x2[[pos2[lab[0]] for lab in labels]], cache2),
            labels)


def main(catalog, cache1, cache2):
    v1, v2, labels = aligned(catalog, cache1, cache2)
    feats = {'v1 (power)': v1, 'v2 (power)': v2}
    for w1, w2 in WEIGHTS:
        feats[f'v1+v2 (power) weights {w1:g}:{w2:g}'] = l2n(np.hstack([w1 * v1, w2 * v2]))
    for name, x in feats.items():
        print(line('LOO ' + name, evaluate(x, x, labels, labels, True)))
    res = {}
    for train, test in KFold(5, shuffle=True, random_state=42).split(v1):
        ld = [labels[i] for i in train]
        lq = [labels[i] for i in test]
        for name, x in feats.items():
            res.setdefault(name, []).append(evaluate(x[test], x[train], lq, ld, False))
    for name, r in res.items():
        print(line('5-fold held-out ' + name, np.array(r).mean(0)))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3])
