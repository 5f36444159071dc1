/** A colour-histogram embedder: a trivial baseline to compare learned features against. */
package com.fashionsearch.models.histogram;
