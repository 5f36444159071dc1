"""SUPERVISED, for comparison only: a linear discriminant projection learned from the articleType
labels of a training fold, evaluated on the other fold's products as held-out queries against the
training fold as the catalog (5 folds, seeded). The labels the metric checks are used for training,
so these figures are NOT those of unsupervised features; the queries' own labels are never used.

  /usr/bin/python3 supervised_lda.py CATALOG_DIR INDEX_DIR/cache/FILE.emb
"""
import sys
import warnings

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import KFold

from fsembed import load
from metrics import evaluate, l2n, line


def main(catalog, cache):
    warnings.filterwarnings('ignore')
    x, labels = load(catalog, cache)
    xp = l2n(np.sign(x) * np.sqrt(np.abs(x)))
    article = np.array([lab[1] for lab in labels])
    res = {}
    for train, test in KFold(5, shuffle=True, random_state=42).split(x):
        ld = [labels[i] for i in train]
        lq = [labels[i] for i in test]
        res.setdefault('raw (unsupervised, same split)', []).append(
            evaluate(x[test], x[train], lq, ld, False))
        for name, feats in (('LDA', x), ('power + LDA', xp)):
            for shrinkage in (0.1,):
                lda = LinearDiscriminantAnalysis(solver='eigen', shrinkage=shrinkage)
                lda.fit(feats[train], article[train])
                d = l2n(lda.transform(feats[train]))
                q = l2n(lda.transform(feats[test]))
                res.setdefault(f'SUPERVISED {name} (shrinkage {shrinkage})', []).append(
                    evaluate(q, d, lq, ld, False))
    for name, r in res.items():
        print(line('5-fold held-out ' + name, np.array(r).mean(0)))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
