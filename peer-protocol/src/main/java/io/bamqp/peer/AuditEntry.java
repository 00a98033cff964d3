package io.bamqp.peer;

import io.bamqp.peer.internal.Json;
import io.bamqp.security.PeerId;
import io.bamqp.security.PeerKey;
import io.bamqp.security.RequestSignature;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One range fetch a helper made for a neighbor, as the {@link AuditLog} keeps it: what was fetched
 * for whom, what came of it, and the home's signed request, which lets the owner show that the
 * named neighbor asked for exactly this (re-check it with {@link SignedRequest#toSignature()} and
 * the neighbor's key).
 *
 * <p>JSON, one object per line: {@code {"time":"2025-03-01T20:15:02.120Z","peer":"MFRG...",
 * "jobId":"j-1","url":"http://mirror.example/big.iso?x=1","first":0,"last":1048575,
 * "bytesSent":1048576,"outcome":"complete","request":{...}}}.
 *
 * @param time when the fetch ended, ISO-8601 UTC
 * @param peer the home's ID, as its TLS certificate proved it
 * @param jobId the home's job id
 *     <p>A request refused before a fetch began is kept compactly (see {@link #refused()}): its
 *     peer, job, range and {@code refused <CODE>}, without URL, body, signature or key, so a
 *     neighbor's flood of refused requests costs a few dozen bytes each (and the {@link AuditLog}
 *     keeps one per peer per second).
 * @param url the full URL, query included (the log is owner-only); {@code null} for a refusal
 * @param first first byte offset asked
 * @param last last byte offset asked
 * @param bytesSent content bytes actually sent to the home
 * @param outcome {@code complete}, {@code refused <CODE>} (with {@code (+N suppressed)} when the
 *     log skipped N more of that peer's refusals before it) or {@code aborted: <why>}
 * @param request the signed request and its signed fields
 * @param body the exact request body the signature covers (the range fetch's JSON, with the URL)
 * @param homeKey the home's raw Ed25519 public key, base64: it hashes to {@code peer}
 */
public record AuditEntry(
    String time,
    String peer,
    String jobId,
    String url,
    long first,
    long last,
    long bytesSent,
    String outcome,
    SignedRequest request,
    String body,
    String homeKey) {

  /** The outcome of a range that was sent whole. */
  public static final String COMPLETE = "complete";

  /** The compact entry of a request refused with {@code code} before any fetch. */
  public static AuditEntry refusal(
      Instant time, String peer, String jobId, long first, long last, PeerErrorCode code) {
    return new AuditEntry(
        time.toString(), peer, jobId, null, first, last, 0, "refused " + code, null, null, null);
  }

  /** Whether this is a compact refusal: no fetch was made, nothing to prove. */
  public boolean refused() {
    return url == null;
  }

  /** This entry, saying that {@code suppressed} like it were not kept before it. */
  AuditEntry withSuppressed(long suppressed) {
    return new AuditEntry(
        time,
        peer,
        jobId,
        url,
        first,
        last,
        bytesSent,
        outcome + " (+" + suppressed + " suppressed)",
        request,
        body,
        homeKey);
  }

  /**
   * Whether this entry proves itself: {@code homeKey} is the key of {@code peer}, the signature
   * over the request verifies with it, and the signed body is {@code body}, which names this URL
   * and range. What the owner shows to say "this neighbor asked for exactly this".
   */
  public boolean proves() {
    try {
      PeerKey key = PeerKey.of(Base64.getDecoder().decode(homeKey));
      RequestSignature signed = request.toSignature();
      byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
      RangeFetch asked =
          Json.decode(Buffer.buffer(bodyBytes), RangeFetch.class, PeerErrorCode.BAD_REQUEST);
      return key.id().toString().equals(peer)
          && signed.home().equals(key.id())
          && signed.isSignedBy(key)
          && MessageDigest.isEqual(signed.bodySha256(), RequestSignature.sha256(bodyBytes))
          && asked.url().equals(url)
          && asked.first() == first
          && asked.last() == last;
    } catch (RuntimeException | PeerException malformed) {
      return false;
    }
  }

  /** {@link #time} as an instant. */
  public Instant instant() {
    return Instant.parse(time);
  }

  /**
   * A {@link RequestSignature} in text: hashes in hex, nonce and signature in base64.
   *
   * @param method HTTP method
   * @param target request target
   * @param bodySha256 SHA-256 of the body, hex
   * @param home signer's ID
   * @param helper audience's ID
   * @param timeMillis the home's clock, Unix ms
   * @param nonce base64
   * @param signature base64
   */
  public record SignedRequest(
      String method,
      String target,
      String bodySha256,
      String home,
      String helper,
      long timeMillis,
      String nonce,
      String signature) {

    /** The text form of {@code signature}. */
    public static SignedRequest of(RequestSignature signature) {
      Base64.Encoder base64 = Base64.getEncoder();
      return new SignedRequest(
          signature.method(),
          signature.target(),
          HexFormat.of().formatHex(signature.bodySha256()),
          signature.home().toString(),
          signature.helper().toString(),
          signature.timeMillis(),
          base64.encodeToString(signature.nonce()),
          base64.encodeToString(signature.signature()));
    }

    /** Back to a signature that {@link RequestSignature#isSignedBy} can check. */
    public RequestSignature toSignature() {
      Base64.Decoder base64 = Base64.getDecoder();
      return new RequestSignature(
          method,
          target,
          HexFormat.of().parseHex(bodySha256),
          PeerId.parse(home),
          PeerId.parse(helper),
          timeMillis,
          base64.decode(nonce),
          base64.decode(signature));
    }
  }
}
