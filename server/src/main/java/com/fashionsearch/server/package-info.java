/**
 * The HTTP API and web page ({@link com.fashionsearch.server.FashionServer}), over the searcher
 * library's {@link com.fashionsearch.searcher.ProductSearcher} contract only.
 */
package com.fashionsearch.server;
