/**
 * Retrieval-quality evaluation of an index: precision@k and mAP@k where relevant means the same
 * articleType (also subCategory and masterCategory), by exact and by graph (HNSW) search, with
 * leave-one-out over the index or held-out queries.
 */
package com.fashionsearch.bench.eval;
