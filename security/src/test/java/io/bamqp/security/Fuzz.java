package io.bamqp.security;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The fuzz tests' seeded generator and runner. A property runs its explicit edge cases first, then
 * {@code tries} generated inputs; try {@code i} draws from its own {@link SplittableRandom} seeded
 * from the property's seed and {@code i}, so a failure names the seed and the try that reproduce it
 * and nothing else (no shrinking: the input is printed as it was). Every try runs under the {@link
 * HangDetector}.
 *
 * <p>System properties: {@code -Dfuzz.seed=N} replaces every property's seed (the one a failure
 * prints); {@code -Dfuzz.try=I} runs only try {@code I}; {@code -Dfuzz.tries=X} multiplies every
 * property's number of tries (e.g. {@code 10} for a long run, {@code 0.1} for a quick one).
 */
public final class Fuzz {
  /** The seed every property's own seed is derived from (with its name) unless overridden. */
  public static final long BASE_SEED = 0x6261_6d71_7031_3400L;

  private static final int MAX_DESCRIBED_CHARS = 2_000;

  private Fuzz() {}

  /** Draws one input from a random source. */
  @FunctionalInterface
  public interface Gen<T> extends Function<SplittableRandom, T> {
    /** This generator's values transformed. */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
      return random -> f.apply(apply(random));
    }

    /** Lists of {@code min} to {@code max} values of this generator. */
    default Gen<List<T>> list(int min, int max) {
      return random -> {
        int size = between(random, min, max);
        List<T> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          values.add(apply(random));
        }
        return values;
      };
    }

    /** This generator's values, or null with the given probability. */
    default Gen<T> orNull(double probability) {
      return random -> random.nextDouble() < probability ? null : apply(random);
    }
  }

  /** A try's body: may throw anything. */
  @FunctionalInterface
  public interface ThrowingConsumer<T> {
    void accept(T input) throws Exception;
  }

  /** Runs {@code property} on {@code tries} inputs drawn from {@code input}. */
  public static <T> void check(
      String name, int tries, Function<SplittableRandom, T> input, ThrowingConsumer<T> property) {
    check(name, tries, List.of(), input, property);
  }

  /**
   * Runs {@code property} on each of {@code edgeCases} (try numbers {@code -n} to {@code -1}), then
   * on {@code tries} inputs drawn from {@code input} (try numbers from 0).
   *
   * @throws AssertionError naming the seed, the try and the input of the first failing try
   */
  public static <T> void check(
      String name,
      int tries,
      Collection<? extends T> edgeCases,
      Function<SplittableRandom, T> input,
      ThrowingConsumer<T> property) {
    long seed = property("fuzz.seed", BASE_SEED ^ mix(name.hashCode()));
    Long onlyTry = property("fuzz.try", null);
    Integer only = onlyTry == null ? null : Math.toIntExact(onlyTry);
    int edge = -edgeCases.size();
    for (T value : edgeCases) {
      if (only == null || only == edge) {
        run(name, seed, edge, value, property);
      }
      edge++;
    }
    int scaled = (int) Math.max(1, Math.round(tries * multiplier()));
    for (int i = 0; i < scaled; i++) {
      if (only != null && only != i) {
        continue;
      }
      T value;
      try {
        value = input.apply(randomFor(seed, i));
      } catch (RuntimeException e) {
        throw new AssertionError(header(name, seed, i) + ": generating the input failed", e);
      }
      run(name, seed, i, value, property);
    }
  }

  /** The random source of try {@code i} of the property with {@code seed}. */
  public static SplittableRandom randomFor(long seed, int i) {
    return new SplittableRandom(mix(seed + 0x9E37_79B9_7F4A_7C15L * (i + 1L)));
  }

  private static <T> void run(
      String name, long seed, int i, T value, ThrowingConsumer<T> property) {
    try {
      HangDetector.run(() -> property.accept(value));
    } catch (Throwable failure) {
      throw new AssertionError(
          header(name, seed, i)
              + " failed on input "
              + describe(value)
              + "\n  reproduce: -Dfuzz.seed="
              + seed
              + " -Dfuzz.try="
              + i
              + "\n  "
              + failure,
          failure);
    }
  }

  private static String header(String name, long seed, int i) {
    return "property " + name + ", seed " + seed + ", try " + i;
  }

  private static double multiplier() {
    String value = System.getProperty("fuzz.tries", "1");
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-Dfuzz.tries must be a number, not " + value, e);
    }
  }

  /** A whole-number system property, refused rather than ignored when it is not one. */
  private static Long property(String key, Long otherwise) {
    String value = System.getProperty(key);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + key + " must be a whole number, not " + value, e);
    }
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }

  /** An input as a failure report shows it: controls and non-ASCII escaped, bytes as text. */
  public static String describe(Object value) {
    String text;
    if (value == null) {
      text = "null";
    } else if (value instanceof byte[] bytes) {
      text = "bytes " + escape(new String(bytes, StandardCharsets.ISO_8859_1));
    } else if (value instanceof Collection<?> values) {
      List<String> described = new ArrayList<>();
      values.forEach(v -> described.add(describe(v)));
      text = described.toString();
    } else if (value.getClass().isRecord()) {
      text = describeRecord((Record) value);
    } else {
      text = escape(value.toString());
    }
    return text.length() <= MAX_DESCRIBED_CHARS
        ? text
        : text.substring(0, MAX_DESCRIBED_CHARS) + "... (" + text.length() + " chars)";
  }

  private static String describeRecord(Record value) {
    StringBuilder out = new StringBuilder(value.getClass().getSimpleName()).append('[');
    RecordComponent[] components = value.getClass().getRecordComponents();
    for (int i = 0; i < components.length; i++) {
      Object component;
      try {
        Method accessor = components[i].getAccessor();
        accessor.setAccessible(true);
        component = accessor.invoke(value);
      } catch (ReflectiveOperationException e) {
        component = "?";
      }
      out.append(i == 0 ? "" : ", ")
          .append(components[i].getName())
          .append('=')
          .append(describe(component));
    }
    return out.append(']').toString();
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c >= ' ' && c < 0x7f && c != '"' && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.append('"').toString();
  }

  // Values.

  /** A number from {@code min} to {@code max}, both included. */
  public static int between(SplittableRandom random, int min, int max) {
    return (int) between(random, (long) min, max);
  }

  /** A number from {@code min} to {@code max}, both included, for the whole {@code long} range. */
  public static long between(SplittableRandom random, long min, long max) {
    if (max == Long.MAX_VALUE) {
      return min == Long.MIN_VALUE ? random.nextLong() : random.nextLong(min - 1, max) + 1;
    }
    return random.nextLong(min, max + 1);
  }

  /**
   * Numbers from {@code min} to {@code max}, one in eight an edge case: a bound, next to a bound,
   * 0, 1 or -1 when in range.
   */
  public static Gen<Long> longs(long min, long max) {
    List<Long> edges = new ArrayList<>();
    for (long edge : new long[] {min, max, min + 1, max - 1, 0, 1, -1}) {
      if (edge >= min && edge <= max) {
        edges.add(edge);
      }
    }
    return random ->
        random.nextInt(8) == 0
            ? edges.get(random.nextInt(edges.size()))
            : between(random, min, max);
  }

  /** As {@link #longs}, for {@code int}s. */
  public static Gen<Integer> ints(int min, int max) {
    return longs(min, max).map(Long::intValue);
  }

  /** Any {@code long}, one in eight 0, 1, -1, {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE}. */
  public static Gen<Long> anyLong() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** Lengths a length field could claim: 0, 1, -1, the {@code int} and unsigned bounds. */
  public static final List<Long> HUGE_LENGTHS =
      List.of(
          0L,
          1L,
          -1L,
          (long) Integer.MAX_VALUE,
          Integer.MAX_VALUE + 1L,
          0xFFFF_FFFFL,
          1L << 32,
          Long.MAX_VALUE,
          Long.MIN_VALUE);

  /** One of {@code values}, each equally likely (list one twice to weigh it double). */
  @SafeVarargs
  public static <T> Gen<T> of(T... values) {
    List<T> copy = Arrays.asList(values.clone());
    return random -> copy.get(random.nextInt(copy.size()));
  }

  /**
   * One of {@code values}, each equally likely, by place in their iteration order: give a list or a
   * sorted set, not a {@code Set.of} (its order changes from one JVM to the next, so a seed would
   * not reproduce).
   */
  public static <T> Gen<T> of(Collection<? extends T> values) {
    List<T> copy = List.copyOf(values);
    return random -> copy.get(random.nextInt(copy.size()));
  }

  /** The value of one of {@code gens}, each equally likely. */
  @SafeVarargs
  public static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    Gen<? extends T>[] copy = gens.clone();
    return random -> copy[random.nextInt(copy.length)].apply(random);
  }

  /** A coin toss. */
  public static Gen<Boolean> booleans() {
    return SplittableRandom::nextBoolean;
  }

  /** Strings of {@code min} to {@code max} characters of {@code alphabet}. */
  public static Gen<String> strings(String alphabet, int min, int max) {
    return random -> {
      int length = between(random, min, max);
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      return out.toString();
    };
  }

  /** All characters from {@code from} to {@code to}, as an alphabet. */
  public static String range(char from, char to) {
    StringBuilder out = new StringBuilder();
    for (char c = from; c <= to; c++) {
      out.append(c);
      if (c == Character.MAX_VALUE) {
        break;
      }
    }
    return out.toString();
  }

  /**
   * Strings of up to {@code max} of any {@code char} (lone surrogates too): a third printable
   * ASCII, a third Latin-1 with its controls, a third the whole range.
   */
  public static Gen<String> anyStrings(int max) {
    return random -> {
      int length = between(random, 0, max);
      int bound =
          switch (random.nextInt(3)) {
            case 0 -> 0x7f;
            case 1 -> 0x100;
            default -> 0x10000;
          };
      StringBuilder out = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        out.append((char) (bound == 0x7f ? random.nextInt(' ', 0x7f) : random.nextInt(bound)));
      }
      return out.toString();
    };
  }

  /** Arrays of {@code min} to {@code max} random bytes. */
  public static Gen<byte[]> bytes(int min, int max) {
    return random -> {
      byte[] bytes = new byte[between(random, min, max)];
      random.nextBytes(bytes);
      return bytes;
    };
  }

  // Mutations of valid samples.

  /**
   * {@code texts} with one change: a character of {@code hostile} inserted or put in place of one,
   * or the text cut short, at a random place.
   */
  public static Gen<String> mutated(Gen<String> texts, String hostile) {
    return random -> {
      String text = texts.apply(random);
      char c = hostile.charAt(random.nextInt(hostile.length()));
      int at = random.nextInt(text.length() + 1);
      return switch (random.nextInt(3)) {
        case 0 -> text.substring(0, at) + c + text.substring(at);
        case 1 -> at < text.length() ? text.substring(0, at) + c + text.substring(at + 1) : text;
        default -> text.substring(0, at);
      };
    };
  }

  /**
   * {@code bytes} with one change at a random place: a bit flipped, one of {@code inserts} put in
   * place of a byte (its first byte) or inserted (whole), or cut short.
   */
  public static Gen<byte[]> mutatedBytes(Gen<byte[]> bytes, List<byte[]> inserts) {
    return random -> {
      byte[] original = bytes.apply(random);
      byte[] insert = inserts.get(random.nextInt(inserts.size()));
      if (original.length == 0) {
        return insert.clone();
      }
      int at = random.nextInt(original.length);
      byte[] copy = original.clone();
      switch (random.nextInt(4)) {
        case 0 -> copy[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> copy[at] = insert[0];
        case 2 -> {
          byte[] longer = new byte[original.length + insert.length];
          System.arraycopy(original, 0, longer, 0, at);
          System.arraycopy(insert, 0, longer, at, insert.length);
          System.arraycopy(original, at, longer, at + insert.length, original.length - at);
          return longer;
        }
        default -> {
          return Arrays.copyOf(original, at);
        }
      }
      return copy;
    };
  }

  /** Up to {@code max} cut points for {@link #split}: offsets taken modulo the length. */
  public static Gen<List<Integer>> cuts(int max) {
    return ints(0, Integer.MAX_VALUE).list(0, max);
  }

  /** {@code bytes} cut at the given offsets (taken modulo its length plus one), in order. */
  public static List<byte[]> split(byte[] bytes, List<Integer> cuts) {
    TreeSet<Integer> at = new TreeSet<>();
    for (int cut : cuts) {
      at.add(Math.floorMod(cut, bytes.length + 1));
    }
    at.add(bytes.length);
    List<byte[]> pieces = new ArrayList<>();
    int from = 0;
    for (int to : at) {
      pieces.add(Arrays.copyOfRange(bytes, from, to));
      from = to;
    }
    return pieces;
  }

  /** {@code first} followed by {@code second}. */
  public static byte[] concat(byte[] first, byte[] second) {
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
