"""SUPERVISED, for comparison only: a non-linear head (scikit-learn MLPClassifier, one hidden ReLU
layer, seeded, early stopping on 10% of the training folds) trained on the articleType labels of the
training folds, evaluated on the same seeded 5-fold held-out split as supervised_lda.py: each fold's
products are queries against the other four folds as the catalog. The embedding of a product is the
head's hidden-layer activations, or its class-probability vector, L2-normalised. The labels the
metric checks are used for training, so these figures are NOT those of unsupervised features; the
queries' own labels are never used. Because the catalog there is the head's own training set (whose
labels it has learnt), a second protocol trains on one seeded half and scores leave-one-out within
the other half, a catalog and queries the head never saw (2,500 products: compare with the
unsupervised row of the same protocol, not with the 5-fold rows). The input is the cache's vectors
power- and L2-normalised (see concat_v1_v2.py), standardised on the training folds; with a second
cache (v2) also v2 alone and v1+v2 concatenated 1:1. The LDA reference of supervised_lda.py is
printed on the same inputs.

  OMP_NUM_THREADS=1 /usr/bin/python3 supervised_mlp.py CATALOG_DIR V1_INDEX/cache/FILE.emb [V2_INDEX/cache/FILE.emb]
"""
import sys
import time
import warnings

import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.model_selection import KFold
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from concat_v1_v2 import aligned, power_l2
from fsembed import load
from metrics import evaluate, l2n, line

HIDDEN = 512
ALPHAS = (1e-4, 1e-2)


def hidden(mlp, x):
    """The first (only) hidden layer's ReLU activations."""
    return np.maximum(x @ mlp.coefs_[0] + mlp.intercepts_[0], 0)


def heads(x, article, train):
    """(name, fitted transform) for each head trained on x[train]: identity, LDA, the MLPs."""
    out = [('unsupervised (power)', lambda v: v)]
    lda = LinearDiscriminantAnalysis(solver='eigen', shrinkage=0.1).fit(x[train], article[train])
    out.append(('SUPERVISED LDA (shrinkage 0.1)', lda.transform))
    scaler = StandardScaler().fit(x[train])
    for alpha in ALPHAS:
        start = time.time()
        mlp = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=alpha, early_stopping=True,
                            validation_fraction=0.1, n_iter_no_change=10, max_iter=200,
                            random_state=42).fit(scaler.transform(x[train]), article[train])
        print(f'#   MLP alpha {alpha:g}: {mlp.n_iter_} epochs, {time.time() - start:.0f} s, '
              f'validation accuracy {mlp.best_validation_score_:.3f}', flush=True)
        tag = f'SUPERVISED MLP {HIDDEN} alpha {alpha:g}'
        out.append((tag + ', hidden layer', lambda v, m=mlp: hidden(m, scaler.transform(v))))
        out.append((tag + ', class probabilities', lambda v, m=mlp: m.predict_proba(scaler.transform(v))))
    return out


def main(catalog, cache1, cache2=None):
    warnings.filterwarnings('ignore')
    if cache2 is None:
        x, labels = load(catalog, cache1)
        inputs = {'v1': power_l2(x, cache1)}
    else:
        v1, v2, labels = aligned(catalog, cache1, cache2)
        inputs = {'v1': v1, 'v2': v2, 'v1+v2 1:1': l2n(np.hstack([v1, v2]))}
    article = np.array([lab[1] for lab in labels])
    res = {}
    # A: 5-fold, the catalog is the training folds (its labels were used), queries the held-out fold.
    for fold, (train, test) in enumerate(KFold(5, shuffle=True, random_state=42).split(article)):
        ld = [labels[i] for i in train]
        lq = [labels[i] for i in test]
        for name, x in inputs.items():
            print(f'# 5-fold, fold {fold}, {name}', flush=True)
            for what, f in heads(x, article, train):
                res.setdefault(f'5-fold held-out {name}: {what}', []).append(
                    evaluate(l2n(f(x[test])), l2n(f(x[train])), lq, ld, False))
    # B: halves, the head trained on one half, then leave-one-out within the other half: neither the
    # queries' nor the catalog's labels were seen in training (a catalog the head never saw).
    for half, (train, test) in enumerate(KFold(2, shuffle=True, random_state=42).split(article)):
        lt = [labels[i] for i in test]
        for name, x in inputs.items():
            print(f'# halves, half {half}, {name}', flush=True)
            for what, f in heads(x, article, train):
                y = l2n(f(x[test]))
                res.setdefault(f'unseen half LOO {name}: {what}', []).append(
                    evaluate(y, y, lt, lt, True))
    for name, r in res.items():
        print(line(name, np.array(r).mean(0)))


if __name__ == '__main__':
    main(*sys.argv[1:])
