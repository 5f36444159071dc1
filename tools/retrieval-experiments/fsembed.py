"""Reads an index's FSEMBED1 embedding cache (see indexer EmbeddingCache) and a catalog's labels.

Offline experiments only: nothing here is part of the product, which is Java.
"""
import csv
import hashlib
import os
import struct

import numpy as np


def read_cache(path):
    """Returns (dimension, (model, weights, preprocessing), {sha256 hex: float32 vector})."""
    with open(path, 'rb') as f:
        b = f.read()
    if b[:8] != b'FSEMBED1':
        raise ValueError(f'{path} is not an FSEMBED1 cache (magic {b[:8]!r})')
    o = 8
    dim = struct.unpack('<i', b[o:o + 4])[0]
    o += 4
    ids = []
    for _ in range(3):
        n = struct.unpack('<i', b[o:o + 4])[0]
        o += 4
        ids.append(b[o:o + n].decode('utf-8'))
        o += n
    rec = 32 + 4 * dim
    vectors = {}
    while o + rec <= len(b):
        vectors[b[o:o + 32].hex()] = np.frombuffer(b[o + 32:o + rec], dtype='<f4')
        o += rec
    return dim, tuple(ids), vectors


def load(catalog, cache):
    """The catalog's products found in the cache, in styles.csv order: (X [n, d], labels [n] of
    (id, articleType, subCategory, masterCategory))."""
    _, ids, vectors = read_cache(cache)
    xs, labels = [], []
    with open(os.path.join(catalog, 'styles.csv'), encoding='utf-8', newline='') as f:
        for row in csv.DictReader(f):
            image = os.path.join(catalog, 'images', row['id'] + '.jpg')
            if not os.path.exists(image):
                continue
            with open(image, 'rb') as img:
                h = hashlib.sha256(img.read()).hexdigest()
            if h in vectors:
                xs.append(vectors[h])
                labels.append((row['id'], row['articleType'], row['subCategory'], row['masterCategory']))
    print(f'# {len(xs)} products from {cache} ({ids[0]}, {ids[2]})')
    return np.array(xs, dtype=np.float32), labels
