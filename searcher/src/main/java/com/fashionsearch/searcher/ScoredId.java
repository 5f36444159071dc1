package com.fashionsearch.searcher;

/**
 * A product id with its similarity score: a result of {@link LuceneProductSearcher#nearestIds}, for
 * callers that need no catalog entry. Immutable and thread-safe.
 */
public record ScoredId(String id, double score) {}
