"""P@k and mAP@k exactly as searcher RetrievalEvaluation defines them (exact search, ties by order)."""
import numpy as np

LEVELS = ('articleType', 'subCategory', 'masterCategory')


def l2n(x):
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def top_k(q, d, k, leave_one_out):
    s = q @ d.T
    if leave_one_out:
        np.fill_diagonal(s, -np.inf)
    part = np.argpartition(-s, k, axis=1)[:, :k]
    order = np.argsort(-np.take_along_axis(s, part, 1), axis=1, kind='stable')
    return np.take_along_axis(part, order, 1), s


def evaluate(q, d, lq, ld, leave_one_out, k=10):
    """[(P@k, mAP@k)] per level; AP@k = sum P@i rel(i) / min(k, R), queries with R = 0 not counted."""
    idx, _ = top_k(q, d, k, leave_one_out)
    out = []
    for level in (1, 2, 3):
        a = np.array([x[level] for x in lq])
        b = np.array([x[level] for x in ld])
        rel = b[idx] == a[:, None]
        labels, counts = np.unique(b, return_counts=True)
        count = dict(zip(labels, counts))
        r = np.array([count.get(x, 0) for x in a]) - (1 if leave_one_out else 0)
        ok = r > 0
        precision = rel.mean(1)
        ap = (np.cumsum(rel, 1) / np.arange(1, k + 1) * rel).sum(1) / np.minimum(k, np.maximum(r, 1))
        out.append((precision[ok].mean(), ap[ok].mean()))
    return out


def line(name, r):
    return (f'{name:58s} P@10={r[0][0]:.3f} mAP@10={r[0][1]:.3f} '
            f'P@10[sub]={r[1][0]:.3f} P@10[master]={r[2][0]:.3f}')
