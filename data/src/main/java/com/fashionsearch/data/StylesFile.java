package com.fashionsearch.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The physical lines of a {@code styles.csv}: UTF-8 with or without a byte order mark, LF or CRLF
 * line ends. A line that is not valid UTF-8 is decoded with U+FFFD for its bad bytes and flagged,
 * so that one bad byte costs neither the line nor the file. Stateless.
 */
final class StylesFile {
  /** One physical line, without its line end. */
  record Line(long number, String text, boolean invalidUtf8) {}

  private StylesFile() {}

  static List<Line> read(Path file) throws IOException {
    return split(Files.readAllBytes(file));
  }

  static List<Line> split(byte[] bytes) {
    int start =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharsetDecoder lenient =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    List<Line> lines = new ArrayList<>();
    long number = 1;
    int lineStart = start;
    for (int i = start; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        int end = i;
        if (end > lineStart && bytes[end - 1] == '\r') {
          end--;
        }
        if (i < bytes.length || end > lineStart) {
          lines.add(decode(bytes, lineStart, end - lineStart, number, strict, lenient));
        }
        number++;
        lineStart = i + 1;
      }
    }
    return lines;
  }

  private static Line decode(
      byte[] bytes,
      int offset,
      int length,
      long number,
      CharsetDecoder strict,
      CharsetDecoder lenient) {
    try {
      return new Line(
          number, strict.reset().decode(ByteBuffer.wrap(bytes, offset, length)).toString(), false);
    } catch (CharacterCodingException e) {
      try {
        return new Line(
            number,
            lenient.reset().decode(ByteBuffer.wrap(bytes, offset, length)).toString(),
            true);
      } catch (CharacterCodingException impossible) {
        throw new IllegalStateException(
            "a REPLACE decoder reported an error on line " + number, impossible);
      }
    }
  }
}
