/**
 * Lucene codec pieces that let the index hold 4096-d vectors: vectors formats that raise Lucene's
 * 1024-dimension limit, registered through SPI so that any reader can open the index.
 */
package com.fashionsearch.indexer.codec;
