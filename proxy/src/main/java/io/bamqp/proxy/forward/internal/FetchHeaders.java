package io.bamqp.proxy.forward.internal;

import io.vertx.core.MultiMap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The headers a {@code /fetch} response carries besides the origin's. The response comes from the
 * router's own address, so a page the origin serves must not run as the router's: {@code
 * X-Content-Type-Options: nosniff} and {@code Content-Security-Policy: sandbox} (no scripts, no
 * same-origin access) go on every {@code /fetch} answer, the proxy's own errors included. The file
 * is named after the final URL (RFC 6266) unless the origin names it.
 */
final class FetchHeaders {
  /** The name given when the URL's last path segment leaves nothing usable. */
  static final String FALLBACK_NAME = "download";

  /** Longest file name given, in characters; file systems allow 255 bytes. */
  static final int MAX_NAME_LENGTH = 120;

  /** Characters that a file name on some system cannot hold, or that would leave its folder. */
  private static final String UNSAFE = "\"\\/:*?<>|%";

  /** RFC 5987 attr-char besides letters and digits: what {@code filename*} writes unencoded. */
  private static final String ATTR_CHARS = "!#$&+-.^_`|~";

  private FetchHeaders() {}

  /** Adds the guards to any {@code /fetch} answer, the origin's or the proxy's own. */
  static void guard(MultiMap headers) {
    headers.set("X-Content-Type-Options", "nosniff");
    headers.add("Content-Security-Policy", "sandbox");
  }

  /** The guards, and a {@code Content-Disposition} after {@code url} when the origin gave none. */
  static void apply(MultiMap headers, RequestTarget url) {
    guard(headers);
    if (!headers.contains("Content-Disposition")) {
      headers.set("Content-Disposition", attachment(url.pathAndQuery()));
    }
  }

  /**
   * {@code attachment; filename="..."} naming the last path segment of {@code pathAndQuery},
   * percent-decoded; with {@code filename*=UTF-8''...} (RFC 5987) when the name is not plain ASCII,
   * the quoted name then being an ASCII stand-in with {@code _} for each other character.
   */
  static String attachment(String pathAndQuery) {
    String name = fileName(pathAndQuery);
    StringBuilder ascii = new StringBuilder();
    name.codePoints().forEach(c -> ascii.append(c < 0x80 ? (char) c : '_'));
    String header = "attachment; filename=\"" + ascii + "\"";
    return ascii.toString().equals(name) ? header : header + "; filename*=UTF-8''" + encode(name);
  }

  /**
   * The last path segment, percent-decoded as UTF-8, without control characters, quotes, path
   * separators and characters file systems refuse (each becomes {@code _}), without leading or
   * trailing dots and spaces, at most {@value #MAX_NAME_LENGTH} characters; {@value #FALLBACK_NAME}
   * when nothing is left.
   */
  static String fileName(String pathAndQuery) {
    int query = pathAndQuery.indexOf('?');
    String path = query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    String segment = decode(path.substring(path.lastIndexOf('/') + 1));
    StringBuilder safe = new StringBuilder();
    segment
        .codePoints()
        .forEach(
            c -> {
              if (Character.isISOControl(c)
                  || Character.getType(c) == Character.FORMAT
                  || c == 0xfffd) {
                return;
              }
              if (UNSAFE.indexOf(c) >= 0) {
                safe.append('_');
              } else {
                safe.appendCodePoint(c);
              }
            });
    String name = strip(safe.toString());
    if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      name = strip(name.substring(0, name.offsetByCodePoints(0, MAX_NAME_LENGTH)));
    }
    return name.isEmpty() ? FALLBACK_NAME : name;
  }

  private static String strip(String name) {
    int start = 0;
    int end = name.length();
    while (start < end && ". ".indexOf(name.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && ". ".indexOf(name.charAt(end - 1)) >= 0) {
      end--;
    }
    return name.substring(start, end);
  }

  /** Percent-decoding of a path segment ({@code +} stays a plus); bad escapes stay as written. */
  private static String decode(String segment) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < segment.length()) {
      int c = segment.codePointAt(i);
      int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
      if (c == '%' && low >= 0) {
        bytes.write(high * 16 + low);
        i += 3;
      } else {
        byte[] raw = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        bytes.write(raw, 0, raw.length);
        i += Character.charCount(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String encode(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean plain =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || ATTR_CHARS.indexOf(c) >= 0;
      out.append(plain ? String.valueOf((char) c) : String.format("%%%02X", c));
    }
    return out.toString();
  }
}
