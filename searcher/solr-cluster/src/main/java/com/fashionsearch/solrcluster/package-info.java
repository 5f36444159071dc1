/**
 * A local SolrCloud (Solr 9.10 with an embedded ZooKeeper) for tests and trials, run as its own JVM
 * because Solr's Lucene 9 cannot share a classpath with the product's Lucene 10.
 */
package com.fashionsearch.solrcluster;
