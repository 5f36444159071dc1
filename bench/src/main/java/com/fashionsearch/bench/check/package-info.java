/**
 * Checking benchmark results against the expected figures of a release: {@link
 * com.fashionsearch.bench.check.ExpectedFigures} reads the versioned file of figures with their
 * tolerances, {@link com.fashionsearch.bench.check.ResultLines} reads the {@code key=value} lines
 * the benchmark and evaluation commands print, and {@link
 * com.fashionsearch.bench.check.FigureCheck} compares the two. Run by {@code fashion bench check}.
 */
package com.fashionsearch.bench.check;
