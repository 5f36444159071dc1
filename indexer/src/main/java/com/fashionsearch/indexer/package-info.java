/**
 * Vectors and attributes to Lucene: the index schema, index generations with an atomic switch, the
 * embedding cache and the reindex pipeline.
 */
package com.fashionsearch.indexer;
