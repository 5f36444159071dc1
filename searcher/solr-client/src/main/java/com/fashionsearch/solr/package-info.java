/**
 * The SolrCloud backend over SolrJ: the project's configset, the reindex into a new collection
 * generation behind an alias ({@link com.fashionsearch.solr.SolrReindexer}), and a {@link
 * com.fashionsearch.searcher.ProductSearcher} over that alias ({@link
 * com.fashionsearch.solr.SolrProductSearcher}). Only SolrJ is used here: no Solr server jar and no
 * Lucene 9 reach this classpath.
 */
package com.fashionsearch.solr;
