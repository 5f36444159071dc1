package com.fashionsearch.searcher;

import com.fashionsearch.indexer.IndexSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.TokenStream;

/**
 * The checks every backend makes on the words of a text query before searching: not blank, at least
 * one searchable word, and at most {@link #MAX_WORDS} of them (the words are analysed as the
 * product name is, so "t-shirt" counts two). Each word becomes one clause of a Boolean query, and
 * engines refuse queries of more than 1,024 clauses; the limit keeps well under that. Stateless,
 * thread-safe.
 */
public final class SearchText {
  /** The most words a text query may have. */
  public static final int MAX_WORDS = 256;

  private SearchText() {}

  /**
   * @return how many searchable words {@code text} has, 1 to {@link #MAX_WORDS}
   * @throws IllegalArgumentException for blank text, text without a searchable word, or text of
   *     more than {@link #MAX_WORDS} words, naming the count
   */
  public static int requireSearchable(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("text must not be blank, got: '" + text + "'");
    }
    int words = 0;
    try (TokenStream tokens = FilterQueries.textAnalyzer().tokenStream(IndexSchema.TEXT, text)) {
      tokens.reset();
      while (tokens.incrementToken()) {
        words++;
      }
      tokens.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (words == 0) {
      throw new IllegalArgumentException(
          "text has no searchable words: '" + abbreviate(text) + "'");
    }
    if (words > MAX_WORDS) {
      throw new IllegalArgumentException(
          "text has "
              + words
              + " words, more than the "
              + MAX_WORDS
              + " a search takes: shorten it");
    }
    return words;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
