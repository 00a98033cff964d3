package io.bamqp.security;

import java.util.Objects;

/**
 * A host, {@code host:port} or URL that {@link HostPort} or {@link HttpUrl} will not read. The
 * message is a sentence for the person who wrote the input; {@link #reason()} and {@link #part()}
 * let a caller that owes its users another wording (a proxy's 400, a config error) build its own.
 */
public final class MalformedAddress extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Reason {
    /** No {@code ://}: not an absolute URL. {@code part} is the input. */
    NOT_ABSOLUTE,
    /**
     * A scheme other than {@code http} or {@code https}. {@code part} is the scheme, lower-case.
     */
    UNSUPPORTED_SCHEME,
    /** {@code user@} before the host. {@code part} is the authority. */
    USER_INFO,
    /** A space or control character in the path or query. {@code part} is the URL. */
    CONTROL_CHARACTERS,
    /** Nothing where the host belongs ({@code http:///}, {@code :80}, {@code []}). */
    NO_HOST,
    /** A host that is neither a name of letters, digits, {@code . _ -} nor a bracketed IPv6. */
    BAD_HOST,
    /** A {@code [} without {@code ]}, or brackets around something that is not an IPv6 address. */
    BAD_IPV6,
    /** Text after {@code ]} that is not {@code :port}. */
    BAD_AUTHORITY,
    /** An IPv6 address without brackets ({@code ::1:80} is ambiguous). */
    UNBRACKETED_IPV6,
    /** A port that is not 1 to 5 digits within range. {@code part} is the port text. */
    BAD_PORT,
    /** No port where one is required. {@code part} is the authority. */
    MISSING_PORT
  }

  private final Reason reason;
  private final String authority;
  private final String part;

  MalformedAddress(Reason reason, String authority, String part, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.authority = authority;
    this.part = part;
  }

  /** What is wrong. */
  public Reason reason() {
    return reason;
  }

  /** The {@code host[:port]} text the problem was found in, as given. */
  public String authority() {
    return authority;
  }

  /** The offending piece: the host, the port text or the scheme (see {@link Reason}). */
  public String part() {
    return part;
  }
}
