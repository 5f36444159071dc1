/**
 * Benchmarks over the libraries, run by {@code fashion bench}: embedding speed ({@link
 * com.fashionsearch.bench.EmbedBenchmark}) and what HNSW parameters and quantization do to build
 * time, size, recall and latency ({@link com.fashionsearch.bench.VectorIndexBenchmark}). The
 * command line depends on this module; no library does.
 */
package com.fashionsearch.bench;
