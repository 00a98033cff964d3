package io.bamqp.peer;

import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether an origin's answer to a range request carries exactly the bytes a {@link
 * RangeFetch} asked for, before a single byte goes home: status 206, the same validator, {@code
 * Content-Range: bytes first-last/total} exactly, identity coding, a single part.
 *
 * <p>Both sides use it: a helper before it streams a byte home, and the home node on its own line's
 * range requests.
 *
 * <p>The validator is compared first, whatever the status: an object that changed answers a stale
 * {@code If-Range} with 200, and the home must learn it changed, not that Range was ignored.
 */
public final class OriginAnswerCheck {
  private OriginAnswerCheck() {}

  /** Why the answer {@code status}/{@code headers} is unusable for {@code fetch}, if it is. */
  public static Optional<PeerException> refusal(RangeFetch fetch, int status, MultiMap headers) {
    if (status >= 300 && status < 400) {
      String location = headers.get("Location");
      return refuse(
          PeerErrorCode.REDIRECT,
          "the origin redirects (" + status + ") to " + (location == null ? "nowhere" : location));
    }
    if (status != 200 && status != 206) {
      return refuse(PeerErrorCode.ORIGIN_STATUS, "the origin answered " + status);
    }
    Optional<PeerException> validator = validatorMismatch(fetch, headers);
    if (validator.isPresent()) {
      return validator;
    }
    if (status == 200) {
      return refuse(
          PeerErrorCode.RANGE_IGNORED, "the origin answered 200: it ignored Range or If-Range");
    }
    String contentType = headers.get("Content-Type");
    if (contentType != null
        && contentType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/byteranges")) {
      return refuse(PeerErrorCode.MULTIPART, "the origin answered multipart/byteranges");
    }
    String coding = headers.get("Content-Encoding");
    if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
      return refuse(PeerErrorCode.ENCODED, "the origin applied Content-Encoding " + coding);
    }
    String expected = "bytes " + fetch.first() + "-" + fetch.last() + "/" + fetch.totalBytes();
    String contentRange = headers.get("Content-Range");
    if (contentRange == null || !contentRange.trim().equals(expected)) {
      return refuse(
          PeerErrorCode.BAD_CONTENT_RANGE,
          "the origin sent Content-Range " + contentRange + ", expected " + expected);
    }
    String length = headers.get("Content-Length");
    if (length != null && !length.trim().equals(Long.toString(fetch.length()))) {
      return refuse(
          PeerErrorCode.BAD_CONTENT_RANGE,
          "the origin sent Content-Length " + length + " for " + fetch.length() + " bytes");
    }
    return Optional.empty();
  }

  private static Optional<PeerException> validatorMismatch(RangeFetch fetch, MultiMap headers) {
    if (fetch.etag() != null) {
      String etag = headers.get("ETag");
      return fetch.etag().equals(etag == null ? null : etag.trim())
          ? Optional.empty()
          : refuse(
              PeerErrorCode.VALIDATOR_MISMATCH,
              "the origin's ETag " + etag + " is not the job's " + fetch.etag());
    }
    String lastModified = headers.get("Last-Modified");
    return sameDate(fetch.lastModified(), lastModified)
        ? Optional.empty()
        : refuse(
            PeerErrorCode.VALIDATOR_MISMATCH,
            "the origin's Last-Modified "
                + lastModified
                + " is not the job's "
                + fetch.lastModified());
  }

  /** Equal as HTTP dates when both parse, else equal as strings. */
  private static boolean sameDate(String expected, String actual) {
    if (actual == null) {
      return false;
    }
    try {
      DateTimeFormatter format = DateTimeFormatter.RFC_1123_DATE_TIME;
      return ZonedDateTime.parse(expected.trim(), format)
          .toInstant()
          .equals(ZonedDateTime.parse(actual.trim(), format).toInstant());
    } catch (DateTimeParseException e) {
      return expected.trim().equals(actual.trim());
    }
  }

  private static Optional<PeerException> refuse(PeerErrorCode code, String detail) {
    return Optional.of(new PeerException(code, detail));
  }
}
