package com.fashionsearch.searcher;

/**
 * One result: a product and its score (a similarity in [0, 1] for vector queries, BM25 for text,
 * the fused reciprocal-rank score for hybrid queries). Immutable and thread-safe.
 */
public record SearchHit(CatalogItem item, double score) {}
