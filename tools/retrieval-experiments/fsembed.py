"""Reads an index's FSEMBED2 (or older FSEMBED1) embedding cache (see indexer EmbeddingCache) and a catalog's labels.

Offline experiments only: nothing here is part of the product, which is Java.
"""
import csv
import hashlib
import os
import struct
import zlib

import numpy as np


def _crc(data):
    """CRC-32 as the Java side stores it: a signed little-endian int32."""
    return struct.unpack('<i', struct.pack('<I', zlib.crc32(data)))[0]


def read_cache(path):
    """Returns (dimension, (model, weights, preprocessing), {sha256 hex: float32 vector})."""
    with open(path, 'rb') as f:
        b = f.read()
    if b[:8] not in (b'FSEMBED1', b'FSEMBED2'):
        raise ValueError(f'{path} is not an FSEMBED2 or FSEMBED1 cache (magic {b[:8]!r})')
    checksums = b[:8] == b'FSEMBED2'
    o = 8
    dim = struct.unpack('<i', b[o:o + 4])[0]
    o += 4
    ids = []
    for _ in range(3):
        n = struct.unpack('<i', b[o:o + 4])[0]
        o += 4
        ids.append(b[o:o + n].decode('utf-8'))
        o += n
    if checksums:
        if struct.unpack('<i', b[o:o + 4])[0] != _crc(b[:o]):
            raise ValueError(f'{path}: the header checksum fails')
        o += 4
    body = 32 + 4 * dim
    rec = body + (4 if checksums else 0)
    vectors = {}
    damaged = 0
    while o + rec <= len(b):
        if checksums and struct.unpack('<i', b[o + body:o + rec])[0] != _crc(b[o:o + body]):
            damaged += 1
        else:
            vectors[b[o:o + 32].hex()] = np.frombuffer(b[o + 32:o + body], dtype='<f4')
        o += rec
    if damaged:
        print(f'# {path}: {damaged} damaged records skipped')
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
