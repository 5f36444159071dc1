/**
 * Queries over the current index generation: filtered k-NN by product, image or vector, text and
 * hybrid search, facet counts. {@link com.fashionsearch.searcher.ProductSearcher} is the contract
 * the server and the command line use; {@link com.fashionsearch.searcher.LuceneProductSearcher} is
 * the local Lucene implementation. No Lucene type appears in the contract, so that another engine
 * (a SolrCloud collection) can implement it.
 */
package com.fashionsearch.searcher;
