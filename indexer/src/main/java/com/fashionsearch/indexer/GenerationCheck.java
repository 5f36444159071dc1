package com.fashionsearch.indexer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * Verifies one index generation file by file: every file of its last commit is read to the end and
 * its checksum (the codec footer every Lucene file carries) compared, so that a flipped byte, a
 * truncated or a missing file is named; then the commit's metadata is checked against the schema,
 * and the vectors' clusters ({@link VectorClusters#FILE}), when the generation has them, against
 * the commit. Stateless and thread-safe.
 */
public final class GenerationCheck {
  private GenerationCheck() {}

  /**
   * One damaged file.
   *
   * @param file the file
   * @param reason what is wrong with it
   */
  public record Problem(Path file, String reason) {}

  /**
   * What a check found.
   *
   * @param generation the generation checked
   * @param dir its folder
   * @param files the files verified
   * @param bytes their total size
   * @param problems the damaged files, empty when the generation is intact
   */
  public record Result(long generation, Path dir, int files, long bytes, List<Problem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }

    /** Whether every file verified. */
    public boolean intact() {
      return problems.isEmpty();
    }
  }

  /** Checks generation {@code n} of {@code generations}. */
  public static Result check(IndexGenerations generations, long n) throws IOException {
    Path dir = generations.generationDir(n);
    if (!Files.isDirectory(dir)) {
      return new Result(
          n, dir, 0, 0, List.of(new Problem(dir, "the generation folder is missing")));
    }
    List<Problem> problems = new ArrayList<>();
    int files = 0;
    long bytes = 0;
    try (FSDirectory directory = FSDirectory.open(dir)) {
      String segmentsFile = SegmentInfos.getLastCommitSegmentsFileName(directory.listAll());
      if (segmentsFile == null) {
        return new Result(
            n,
            dir,
            0,
            0,
            List.of(new Problem(dir, "no commit (no " + IndexFileNames.SEGMENTS + "_N file)")));
      }
      Problem segments = verify(directory, dir, segmentsFile);
      files++;
      bytes += Files.size(dir.resolve(segmentsFile));
      if (segments != null) {
        return new Result(n, dir, files, bytes, List.of(segments));
      }
      SegmentInfos infos;
      try {
        infos = SegmentInfos.readCommit(directory, segmentsFile);
      } catch (IOException | RuntimeException e) {
        return new Result(
            n,
            dir,
            files,
            bytes,
            List.of(
                new Problem(dir.resolve(segmentsFile), "unreadable commit: " + e.getMessage())));
      }
      Collection<String> names = infos.files(false);
      for (String name : names.stream().sorted().toList()) {
        Problem p = verify(directory, dir, name);
        files++;
        if (p == null) {
          bytes += Files.size(dir.resolve(name));
        } else {
          problems.add(p);
        }
      }
      if (problems.isEmpty()) {
        try {
          IndexMetadata metadata = IndexMetadata.fromUserData(infos.getUserData());
          metadata.requireSchema();
          Path clusters = dir.resolve(VectorClusters.FILE);
          if (Files.exists(clusters)) {
            files++;
            try {
              VectorClusters.read(dir, infos.totalMaxDoc(), metadata.dimension());
              bytes += Files.size(clusters);
            } catch (IOException e) {
              problems.add(new Problem(clusters, e.getMessage()));
            }
          }
        } catch (RuntimeException e) {
          problems.add(
              new Problem(dir.resolve(segmentsFile), "commit metadata: " + e.getMessage()));
        }
      }
    }
    return new Result(n, dir, files, bytes, problems);
  }

  private static Problem verify(FSDirectory directory, Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      return new Problem(file, "missing");
    }
    try (IndexInput in = directory.openInput(name, IOContext.READONCE)) {
      CodecUtil.checksumEntireFile(in);
      return null;
    } catch (IOException | RuntimeException e) {
      return new Problem(file, e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
