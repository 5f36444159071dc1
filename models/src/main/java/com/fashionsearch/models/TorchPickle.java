package com.fashionsearch.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A minimal unpickler for what {@code torch.save} writes for a state dict: an {@code OrderedDict}
 * of tensors, each rebuilt by {@code torch._utils._rebuild_tensor_v2} (or {@code _rebuild_tensor})
 * from a storage named by a persistent id. It understands the opcodes of pickle protocols 2 to 4
 * that such a file uses and builds nothing else: any other callable is refused by name, so a pickle
 * can never run code. Thread-safe (stateless; each {@link #read} has its own state).
 */
final class TorchPickle {
  /** A class or function named by GLOBAL or STACK_GLOBAL. */
  record Global(String module, String name) {
    @Override
    public String toString() {
      return module + "." + name;
    }
  }

  /** A tuple. */
  record Tuple(List<Object> items) {}

  /** A tensor: its storage (what the persistent id resolved to), offset, shape and strides. */
  record Tensor(Object storage, long offset, long[] shape, long[] stride) {}

  /** Python's None (the stack holds no nulls). */
  static final Object NONE =
      new Object() {
        @Override
        public String toString() {
          return "None";
        }
      };

  private static final Object MARK = new Object();

  private TorchPickle() {}

  /**
   * Reads one pickle from the buffer's position, leaving the position after its STOP.
   *
   * @param persistentLoad resolves a persistent id (a {@link Tuple}) to a storage
   * @throws IllegalArgumentException for an opcode or callable outside this subset, or a truncated
   *     pickle
   */
  static Object read(ByteBuffer in, Function<Tuple, Object> persistentLoad) {
    ByteBuffer b = in.order(ByteOrder.LITTLE_ENDIAN);
    List<Object> stack = new ArrayList<>();
    Map<Long, Object> memo = new HashMap<>();
    try {
      while (true) {
        int op = b.get() & 0xFF;
        switch (op) {
          case 0x80 -> b.get(); // PROTO
          case 0x95 -> b.getLong(); // FRAME
          case '.' -> { // STOP
            return pop(stack);
          }
          case '(' -> stack.add(MARK);
          case '}' -> stack.add(new LinkedHashMap<Object, Object>());
          case ']' -> stack.add(new ArrayList<Object>());
          case ')' -> stack.add(new Tuple(List.of()));
          case 'N' -> stack.add(NONE);
          case 0x88 -> stack.add(Boolean.TRUE);
          case 0x89 -> stack.add(Boolean.FALSE);
          case 'K' -> stack.add((long) (b.get() & 0xFF)); // BININT1
          case 'M' -> stack.add((long) (b.getShort() & 0xFFFF)); // BININT2
          case 'J' -> stack.add((long) b.getInt()); // BININT
          case 0x8a -> stack.add(long1(b, b.get() & 0xFF)); // LONG1
          case 'G' ->
              stack.add(
                  Double.longBitsToDouble(Long.reverseBytes(b.getLong()))); // BINFLOAT, big-endian
          case 'X' -> stack.add(string(b, b.getInt(), StandardCharsets.UTF_8)); // BINUNICODE
          case 0x8c ->
              stack.add(string(b, b.get() & 0xFF, StandardCharsets.UTF_8)); // SHORT_BINUNICODE
          case 'U' ->
              stack.add(string(b, b.get() & 0xFF, StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
          case 'T' -> stack.add(string(b, b.getInt(), StandardCharsets.ISO_8859_1)); // BINSTRING
          case 'c' -> stack.add(new Global(line(b), line(b))); // GLOBAL
          case 0x93 -> { // STACK_GLOBAL
            String name = (String) pop(stack);
            stack.add(new Global((String) pop(stack), name));
          }
          case 't' -> stack.add(new Tuple(popToMark(stack)));
          case 0x85 -> stack.add(new Tuple(List.of(pop(stack))));
          case 0x86 -> {
            Object second = pop(stack);
            stack.add(new Tuple(List.of(pop(stack), second)));
          }
          case 0x87 -> {
            Object third = pop(stack);
            Object second = pop(stack);
            stack.add(new Tuple(List.of(pop(stack), second, third)));
          }
          case 'q' -> memo.put((long) (b.get() & 0xFF), peek(stack)); // BINPUT
          case 'r' -> memo.put(b.getInt() & 0xFFFFFFFFL, peek(stack)); // LONG_BINPUT
          case 0x94 -> memo.put((long) memo.size(), peek(stack)); // MEMOIZE
          case 'h' -> stack.add(memo(memo, b.get() & 0xFF)); // BINGET
          case 'j' -> stack.add(memo(memo, b.getInt() & 0xFFFFFFFFL)); // LONG_BINGET
          case 'Q' -> stack.add(persistentLoad.apply(asTuple(pop(stack)))); // BINPERSID
          case 'R' -> { // REDUCE
            Tuple args = asTuple(pop(stack));
            stack.add(call(pop(stack), args));
          }
          case 'b' -> { // BUILD: the state of an OrderedDict (its _metadata) is not needed
            Object state = pop(stack);
            if (!(peek(stack) instanceof Map)) {
              throw new IllegalArgumentException(
                  "BUILD on " + peek(stack) + " with state " + state);
            }
          }
          case 's' -> { // SETITEM
            Object value = pop(stack);
            Object key = pop(stack);
            asMap(peek(stack)).put(key, value);
          }
          case 'u' -> { // SETITEMS
            List<Object> items = popToMark(stack);
            Map<Object, Object> map = asMap(peek(stack));
            for (int i = 0; i + 1 < items.size(); i += 2) {
              map.put(items.get(i), items.get(i + 1));
            }
          }
          case 'a' -> { // APPEND
            Object value = pop(stack);
            asList(peek(stack)).add(value);
          }
          case 'e' -> { // APPENDS
            List<Object> items = popToMark(stack);
            asList(peek(stack)).addAll(items);
          }
          default ->
              throw new IllegalArgumentException(
                  String.format(
                      "pickle opcode 0x%02x at byte %d is not one torch.save uses",
                      op, b.position() - 1));
        }
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new IllegalArgumentException("the pickle ends before its STOP opcode (truncated?)", e);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException(
          "the pickle is not a torch state dict: " + e.getMessage(), e);
    }
  }

  private static Object call(Object callable, Tuple args) {
    if (!(callable instanceof Global g)) {
      throw new IllegalArgumentException("REDUCE on " + callable + ", not a known callable");
    }
    List<Object> a = args.items();
    return switch (g.toString()) {
      case "collections.OrderedDict" -> new LinkedHashMap<Object, Object>();
      case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" ->
          new Tensor(a.get(0), (Long) a.get(1), longs(a.get(2)), longs(a.get(3)));
      case "torch.Size" -> a.isEmpty() ? new Tuple(List.of()) : a.get(0);
      default ->
          throw new IllegalArgumentException(
              "the pickle calls " + g + ", which a torch state dict does not");
    };
  }

  private static long[] longs(Object tuple) {
    List<Object> items = tuple instanceof Tuple t ? t.items() : asList(tuple);
    long[] out = new long[items.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (Long) items.get(i);
    }
    return out;
  }

  private static long long1(ByteBuffer b, int n) {
    if (n > 8) {
      b.position(
          b.position() + n); // a larger integer (torch's magic number is 10 bytes): not needed
      return Long.MIN_VALUE;
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v |= (b.get() & 0xFFL) << (8 * i);
    }
    if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
      v -= 1L << (8 * n);
    }
    return v;
  }

  private static String string(ByteBuffer b, int length, java.nio.charset.Charset charset) {
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, charset);
  }

  private static String line(ByteBuffer b) {
    StringBuilder s = new StringBuilder();
    for (byte c; (c = b.get()) != '\n'; ) {
      s.append((char) (c & 0xFF));
    }
    return s.toString();
  }

  private static Object memo(Map<Long, Object> memo, long key) {
    Object v = memo.get(key);
    if (v == null) {
      throw new IllegalArgumentException("pickle memo " + key + " read before it was written");
    }
    return v;
  }

  private static Object pop(List<Object> stack) {
    if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
      throw new IllegalArgumentException("pickle stack underflow");
    }
    return stack.remove(stack.size() - 1);
  }

  private static Object peek(List<Object> stack) {
    if (stack.isEmpty()) {
      throw new IllegalArgumentException("pickle stack underflow");
    }
    return stack.get(stack.size() - 1);
  }

  private static List<Object> popToMark(List<Object> stack) {
    int mark = stack.lastIndexOf(MARK);
    if (mark < 0) {
      throw new IllegalArgumentException("pickle MARK missing");
    }
    List<Object> items = new ArrayList<>(stack.subList(mark + 1, stack.size()));
    stack.subList(mark, stack.size()).clear();
    return items;
  }

  private static Tuple asTuple(Object o) {
    if (o instanceof Tuple t) {
      return t;
    }
    throw new IllegalArgumentException("expected a tuple in the pickle, got " + o);
  }

  @SuppressWarnings("unchecked")
  private static Map<Object, Object> asMap(Object o) {
    if (o instanceof Map<?, ?> m) {
      return (Map<Object, Object>) m;
    }
    throw new IllegalArgumentException("expected a dict in the pickle, got " + o);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> asList(Object o) {
    if (o instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new IllegalArgumentException("expected a list in the pickle, got " + o);
  }
}
