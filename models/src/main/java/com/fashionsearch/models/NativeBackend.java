package com.fashionsearch.models;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports which ND4J backend and device run the networks (CPU build and its extension, or the CUDA
 * device), once per process. Thread-safe.
 */
public final class NativeBackend {
  private static final Logger LOG = LoggerFactory.getLogger(NativeBackend.class);
  private static volatile boolean logged;

  private NativeBackend() {}

  /** A one-line description of the backend: its class, the native build and device, threads. */
  public static String describe() {
    Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
    Map<String, Object> info = new TreeMap<>();
    for (String key : env.stringPropertyNames()) {
      info.put(key, env.getProperty(key));
    }
    for (Map.Entry<Object, Object> e : env.entrySet()) {
      info.putIfAbsent(String.valueOf(e.getKey()), e.getValue());
    }
    return "backend="
        + Nd4j.getBackend().getClass().getSimpleName()
        + " extension="
        + System.getProperty("org.bytedeco.javacpp.platform.extension", "")
        + " env="
        + info;
  }

  /** Logs {@link #describe()} at INFO the first time it is called. */
  public static void logOnce() {
    if (!logged) {
      synchronized (NativeBackend.class) {
        if (!logged) {
          logged = true;
          LOG.info("ND4J {}", describe());
        }
      }
    }
  }
}
