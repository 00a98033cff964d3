package io.bamqp.proxy.aggregation;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 a download's origin publishes beside the file ({@code aggregation.sidecarDigests}):
 * {@code FILE.sha256}, else the file's line in {@code SHA256SUMS} of the same directory, the way
 * Linux images and many mirrors publish them. Fetched once over the home line from the same origin
 * as the download, at most {@link #MAX_BYTES} and within {@link #TIMEOUT_MILLIS}; anything else (no
 * such file, another file's line, a malformed one) means no sidecar, never a failed download.
 */
final class Sidecar {
  /** A checksum file larger than this is not read: 64 KiB holds SHA256SUMS of ~800 files. */
  static final int MAX_BYTES = 64 * 1024;

  /** How long the two small requests may take together before the download goes unchecked. */
  static final long TIMEOUT_MILLIS = 10_000;

  /** {@code HEX}, {@code HEX name} or {@code HEX *name} (binary mode), as sha256sum writes. */
  private static final Pattern LINE =
      Pattern.compile("([0-9a-fA-F]{64})(?:[ \\t]+\\*?(\\S(?:.*\\S)?))?\\s*");

  private Sidecar() {}

  /**
   * The published digest of the file {@code target} asks for, or null when the origin publishes
   * none; never fails.
   *
   * @param target the download's origin request (host, port, address, URI, headers)
   */
  static Future<byte[]> fetch(HttpClient client, RequestOptions target) {
    String uri = target.getURI();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    int slash = path.lastIndexOf('/');
    String name = path.substring(slash + 1);
    if (name.isEmpty()) {
      return Future.succeededFuture(null);
    }
    return get(client, target, path + ".sha256")
        .compose(
            text ->
                text == null
                    ? Future.succeededFuture(null)
                    : Future.succeededFuture(find(text, name, true)))
        .compose(
            found ->
                found != null
                    ? Future.succeededFuture(found)
                    : get(client, target, path.substring(0, slash + 1) + "SHA256SUMS")
                        .map(text -> text == null ? null : find(text, name, false)))
        .timeout(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
        .otherwise((byte[]) null);
  }

  /**
   * The digest for {@code name} in a checksum file's text, or null.
   *
   * @param alone whether the file is {@code NAME.sha256}, whose single line may omit the name
   */
  static byte[] find(String text, String name, boolean alone) {
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line.replace("\r", ""));
      if (!m.matches()) {
        continue;
      }
      String listed = m.group(2);
      if (listed == null ? alone : stripDirectory(listed).equals(name)) {
        return HexFormat.of().parseHex(m.group(1).toLowerCase(Locale.ROOT));
      }
    }
    return null;
  }

  private static String stripDirectory(String listed) {
    String plain = listed.startsWith("./") ? listed.substring(2) : listed;
    return plain.substring(plain.lastIndexOf('/') + 1);
  }

  /** The text at {@code uri} on the same origin, or null for anything but a small 200. */
  private static Future<String> get(HttpClient client, RequestOptions target, String uri) {
    return body(client, target, uri, MAX_BYTES)
        .map(body -> body == null ? null : body.toString(StandardCharsets.UTF_8))
        .otherwise((String) null);
  }

  /**
   * The body at {@code uri} on the same origin as {@code target} (a GET with its headers, without
   * range or coding), or null when the answer is not 200; fails, saying so, when it fails or is
   * larger than {@code maxBytes}. Shared with {@link MetalinkLookup}.
   */
  static Future<Buffer> body(HttpClient client, RequestOptions target, String uri, int maxBytes) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (target.getHeaders() != null) {
      headers
          .addAll(target.getHeaders())
          .remove("range")
          .remove("if-range")
          .remove("accept-encoding");
    }
    RequestOptions options =
        new RequestOptions(target)
            .setMethod(HttpMethod.GET)
            .setURI(uri)
            .setHeaders(headers)
            .setIdleTimeout(TIMEOUT_MILLIS);
    return client
        .request(options)
        .compose(request -> request.send())
        .compose(response -> smallBody(response, maxBytes));
  }

  private static Future<Buffer> smallBody(HttpClientResponse response, int maxBytes) {
    // A reset below is ours: nobody needs to hear of it (Vert.x logs an unhandled one as an error).
    response.exceptionHandler(ignored -> {});
    String length = response.getHeader("content-length");
    if (response.statusCode() != 200) {
      response.request().reset();
      return Future.succeededFuture(null);
    }
    String tooLarge = "it is larger than " + maxBytes / 1024 + " KiB";
    if (length != null && !(length.matches("\\d{1,9}") && Long.parseLong(length) <= maxBytes)) {
      response.request().reset();
      return Future.failedFuture(tooLarge);
    }
    Buffer body = Buffer.buffer();
    return Future.future(
        promise -> {
          response.handler(
              chunk -> {
                if (body.length() + chunk.length() > maxBytes) {
                  response.request().reset();
                  promise.tryFail(tooLarge);
                } else {
                  body.appendBuffer(chunk);
                }
              });
          response.exceptionHandler(promise::tryFail);
          response.endHandler(done -> promise.tryComplete(body));
        });
  }
}
