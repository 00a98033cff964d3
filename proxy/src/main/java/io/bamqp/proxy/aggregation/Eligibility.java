package io.bamqp.proxy.aggregation;

import io.bamqp.peer.RangeFetch;
import io.bamqp.planner.ByteRange;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, from the request and the origin's response head alone (no extra round trip), whether a
 * download may be split across sources. Every refusal carries the reason shown to the owner
 * ("origin has no Accept-Ranges", "weak ETag", ...).
 */
public final class Eligibility {
  /**
   * How much older than the response's {@code Date} a {@code Last-Modified} must be to serve as a
   * strong validator (RFC 9110 §8.8.2.2 suggests 60 s).
   */
  public static final Duration LAST_MODIFIED_MIN_AGE = Duration.ofSeconds(60);

  /**
   * At most 18 digits per number, so each fits a {@code long}: an origin's header is not trusted.
   */
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})");

  private Eligibility() {}

  /**
   * The verdict: either a {@link Download} to split, or the reason it streams through untouched.
   *
   * @param download what to fetch, when eligible
   * @param reason why not, when not eligible
   * @param window the download's share of the node's buffer budget, once the {@link Aggregator} has
   *     reserved it; released when the download ends
   */
  public record Verdict(Download download, String reason, BufferBudget.Window window) {
    Verdict(Download download, String reason) {
      this(download, reason, null);
    }

    public boolean eligible() {
      return download != null;
    }

    Verdict holding(BufferBudget.Window window) {
      return new Verdict(download, reason, window);
    }

    static Verdict no(String reason) {
      return new Verdict(null, reason);
    }
  }

  /**
   * What an eligible response delivers: the bytes {@code range} of a representation of {@code
   * totalBytes} identified by its validator.
   *
   * @param range the bytes the client gets (the whole representation, or the client's own range)
   * @param totalBytes the representation's length
   * @param etag its strong ETag, or null
   * @param lastModified its Last-Modified date (used when there is no strong ETag), or null
   * @param partial whether the client asked for a range (the response is a 206)
   */
  public record Download(
      ByteRange range, long totalBytes, String etag, String lastModified, boolean partial) {}

  /** Judges one exchange against {@code minBytes}. */
  public static Verdict judge(
      HttpMethod method,
      MultiMap requestHeaders,
      int status,
      MultiMap responseHeaders,
      long minBytes) {
    if (method != HttpMethod.GET) {
      return Verdict.no("method " + method + " is not GET");
    }
    String coding = responseHeaders.get("content-encoding");
    if (coding != null && !coding.trim().equalsIgnoreCase("identity")) {
      return Verdict.no("the response has content coding '" + coding + "'");
    }
    String lengthText = responseHeaders.get("content-length");
    if (lengthText == null || !lengthText.matches("\\d{1,18}")) {
      return Verdict.no("the response has no Content-Length");
    }
    long length = Long.parseLong(lengthText);
    ByteRange range;
    long total;
    boolean partial = status == 206;
    if (status == 200) {
      if (!trimmed(responseHeaders.get("accept-ranges")).toLowerCase(Locale.ROOT).equals("bytes")) {
        return Verdict.no("origin has no Accept-Ranges: bytes");
      }
      if (length == 0) {
        return Verdict.no("the response is empty");
      }
      range = new ByteRange(0, length - 1);
      total = length;
    } else if (partial) {
      Matcher m = CONTENT_RANGE.matcher(trimmed(responseHeaders.get("content-range")));
      if (!m.matches()) {
        return Verdict.no("the 206 has no single Content-Range");
      }
      long first = Long.parseLong(m.group(1));
      long last = Long.parseLong(m.group(2));
      total = Long.parseLong(m.group(3));
      if (last < first) {
        return Verdict.no("the 206's Content-Range does not match its length");
      }
      range = new ByteRange(first, last);
      if (range.length() != length || range.last() >= total) {
        return Verdict.no("the 206's Content-Range does not match its length");
      }
    } else {
      return Verdict.no("status " + status);
    }
    if (range.length() < minBytes) {
      return Verdict.no("smaller than aggregation.minBytes");
    }
    String etag = trimmed(responseHeaders.get("etag"));
    if (etag.startsWith("W/")) {
      return Verdict.no("weak ETag");
    }
    if (!etag.isEmpty() && !RangeFetch.isStrongEtag(etag)) {
      return Verdict.no("malformed ETag (not a quoted entity tag)");
    }
    if (!etag.isEmpty()) {
      return new Verdict(new Download(range, total, etag, null, partial), null);
    }
    String lastModified = responseHeaders.get("last-modified");
    if (lastModified == null) {
      return Verdict.no("no validator (neither ETag nor Last-Modified)");
    }
    if (!oldEnough(lastModified, responseHeaders.get("date"))) {
      return Verdict.no("Last-Modified is too recent to be a strong validator");
    }
    return new Verdict(new Download(range, total, null, lastModified, partial), null);
  }

  private static boolean oldEnough(String lastModified, String date) {
    try {
      ZonedDateTime modified =
          ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME);
      ZonedDateTime now =
          date == null
              ? ZonedDateTime.now()
              : ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
      return !modified.plus(LAST_MODIFIED_MIN_AGE).isAfter(now);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String trimmed(String value) {
    return value == null ? "" : value.trim();
  }
}
