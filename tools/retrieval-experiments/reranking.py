"""Label-free post-processing of an index's embeddings: power normalisation, database-side
augmentation (DBA) and alpha query expansion (aQE). Leave-one-out over the catalog (as `fashion
eval`), and a 5-fold held-out split where DBA sees only the database fold (the honest case: a
query is never part of the catalog it is searched in).

  /usr/bin/python3 reranking.py CATALOG_DIR INDEX_DIR/cache/FILE.emb
"""
import sys

import numpy as np
from sklearn.model_selection import KFold

from fsembed import load
from metrics import evaluate, l2n, line, top_k


def power(x):
    return l2n(np.sign(x) * np.sqrt(np.abs(x)))


def dba(d, n, alpha):
    """Each vector replaced by itself plus its n nearest neighbours weighted by similarity^alpha."""
    idx, s = top_k(d, d, n, True)
    w = np.maximum(np.take_along_axis(s, idx, 1), 0) ** alpha
    return l2n(d + (w[:, :, None] * d[idx]).sum(1))


def aqe(q, d, n, alpha, leave_one_out):
    """The query plus its n nearest database vectors weighted by similarity^alpha."""
    idx, s = top_k(q, d, n, leave_one_out)
    w = np.maximum(np.take_along_axis(s, idx, 1), 0) ** alpha
    return l2n(q + (w[:, :, None] * d[idx]).sum(1))


def main(catalog, cache):
    x, labels = load(catalog, cache)
    xp = power(x)
    print(line('LOO raw', evaluate(x, x, labels, labels, True)))
    print(line('LOO power (signed sqrt, L2)', evaluate(xp, xp, labels, labels, True)))
    for n in (1, 3, 5):
        y = dba(x, n, 3)
        print(line(f'LOO DBA n={n} a=3 (index and query both augmented)', evaluate(y, y, labels, labels, True)))
        print(line(f'LOO DBA n={n} a=3 (query raw)', evaluate(x, y, labels, labels, True)))
    for n in (2, 5, 10):
        print(line(f'LOO aQE n={n} a=3', evaluate(aqe(x, x, n, 3, True), x, labels, labels, True)))
    print(line('LOO power + aQE n=2', evaluate(aqe(xp, xp, 2, 3, True), xp, labels, labels, True)))
    res = {}
    for train, test in KFold(5, shuffle=True, random_state=42).split(x):
        ld = [labels[i] for i in train]
        lq = [labels[i] for i in test]

        def add(name, q, d):
            res.setdefault(name, []).append(evaluate(q, d, lq, ld, False))
        add('5-fold held-out raw', x[test], x[train])
        add('5-fold held-out power', xp[test], xp[train])
        db = dba(xp[train], 3, 3)
        add('5-fold held-out power + DBA n=3 (database fold only)', xp[test], db)
        add('5-fold held-out power + DBA n=3 + aQE n=2', aqe(xp[test], db, 2, 3, False), db)
    for name, r in res.items():
        print(line(name, np.array(r).mean(0)))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
