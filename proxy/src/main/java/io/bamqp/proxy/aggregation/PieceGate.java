package io.bamqp.proxy.aggregation;

import io.bamqp.planner.ByteRange;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Releases a download's bytes to the client only piece by piece, each piece once it hashes to the
 * origin's Metalink piece hash ({@link Metalink.Pieces}). A piece that does not is fetched again
 * over the home line: if the origin's copy matches the hash, it replaces the held bytes and each
 * neighbor whose bytes in the piece differ from it is caught (quarantined, its other held bytes
 * fetched again: the path a spot check's catch takes in {@link DownloadSession}); if the origin's
 * own copy does not match, the Metalink does not describe this file and the download fails.
 *
 * <p>The piece hashes arrive while the body flows. Until they are known (or known to be absent) the
 * client is held at the first neighbor byte, so the home line's bytes flow and no neighbor's byte
 * goes out unchecked; with none, nothing is held. Once known, checking starts at the first piece
 * boundary at or after the client's position. No hash covers the bytes before it, so from then on
 * only the home line's bytes are kept there ({@link #neighborsFrom}): what of them the home line
 * had not brought yet, neighbor bytes held there included, is fetched over it, and a neighbor's
 * bytes that arrive for them later (a range in flight) are refused.
 *
 * <p>Offsets count from the first byte the client gets, which is the file's first byte: a client's
 * own range is not checked by pieces. Confined to the session's event loop.
 */
final class PieceGate {
  private static final System.Logger LOG = System.getLogger("io.bamqp.session");

  /** What the gate needs from the download, and what it tells it. */
  interface Team {
    /** {@code sourceId} sent bytes that differ from the origin's; {@code detail} says which. */
    void caught(int sourceId, String detail);

    /** Drop what is held of {@code [from, to)} and fetch it again over the home line. */
    void refetch(long from, long to);

    /** The download cannot be completed as good. */
    void failed(String reason);

    /** The gate moved: the client may be able to move on. */
    void settled();
  }

  private enum State {
    PENDING,
    NONE,
    ACTIVE,
    ARBITRATING,
    CLOSED
  }

  private final Vertx vertx;
  private final ReorderBuffer buffer;
  private final ByteSource home;
  private final long windowBytes;
  private final Team team;
  private final ByteOwners owners = new ByteOwners();
  private State state = State.PENDING;
  private Metalink.Pieces pieces;
  private long checkedFrom;
  private long verifiedEnd;

  /**
   * @param known the piece hashes, null when there are none; completes on any thread
   * @param windowBytes the download's reorder window: pieces longer than half of it are not used,
   *     as a piece must be held whole before any of it goes out
   */
  PieceGate(
      Vertx vertx,
      Future<Metalink.Pieces> known,
      ReorderBuffer buffer,
      ByteSource home,
      long windowBytes,
      Team team) {
    this.vertx = vertx;
    this.buffer = buffer;
    this.home = home;
    this.windowBytes = windowBytes;
    this.team = team;
    Context loop = vertx.getOrCreateContext();
    known.onComplete(
        result -> loop.runOnContext(none -> known(result.succeeded() ? result.result() : null)));
  }

  /** Whether piece hashes check this download's bytes (from {@link #checkedFrom} on). */
  boolean active() {
    return state == State.ACTIVE || state == State.ARBITRATING;
  }

  /** Where piece checks began: bytes before it went out without them. */
  long checkedFrom() {
    return checkedFrom;
  }

  /** The piece hashes in use, or null. */
  Metalink.Pieces pieces() {
    return active() ? pieces : null;
  }

  /**
   * Puts {@code data} from {@code owner} ({@link ByteOwners#HOME} or a source) at {@code offset} in
   * the buffer, noting whose bytes it kept; a neighbor's bytes before {@link #neighborsFrom} are
   * refused. Answers how many bytes were kept.
   */
  long accept(int owner, long offset, Buffer data) {
    long refused = owner == ByteOwners.HOME ? 0 : neighborsFrom() - offset;
    if (refused >= data.length()) {
      return 0;
    }
    if (refused > 0) {
      data = data.slice((int) refused, data.length());
      offset += refused;
    }
    if (state == State.NONE || state == State.CLOSED) {
      return buffer.accept(offset, data);
    }
    return buffer.accept(offset, data, (from, to) -> owners.kept(owner, from, to));
  }

  /** Drops what the buffer holds of {@code [from, to)}: it is to be fetched again. */
  void drop(long from, long to) {
    buffer.drop(from, to);
    owners.dropped(from, to);
  }

  /**
   * Where a neighbor's bytes may be kept from: once the hashes are known, the bytes before the
   * first checked piece ({@link #checkedFrom}) come over the home line only; 0 before that, or
   * without hashes.
   */
  private long neighborsFrom() {
    return active() ? checkedFrom : 0;
  }

  /**
   * Where the client must stop ({@code Long.MAX_VALUE} when nowhere), checking every piece that is
   * now held whole first.
   *
   * @param written the client's position
   */
  long holdFrom(long written) {
    return switch (state) {
      case PENDING -> owners.firstNeighborFrom(written);
      case NONE, CLOSED -> Long.MAX_VALUE;
      case ACTIVE, ARBITRATING -> verify();
    };
  }

  /**
   * {@code owner}'s held spans not proven by a piece hash ({@code {from, to}}), or null when piece
   * hashes are not at work.
   */
  List<long[]> unproven(int owner) {
    return active() ? owners.unproven(owner, checkedFrom, verifiedEnd) : null;
  }

  /** The download is over. */
  void close() {
    state = State.CLOSED;
    owners.clear();
  }

  private void known(Metalink.Pieces published) {
    if (state != State.PENDING) {
      return;
    }
    if (published != null && published.length() > windowBytes / 2) {
      LOG.log(
          System.Logger.Level.INFO,
          "Metalink pieces of {0} bytes are longer than half the reorder window ({1} bytes): not"
              + " used",
          published.length(),
          windowBytes);
    }
    if (published == null || published.length() > windowBytes / 2) {
      state = State.NONE;
      owners.clear();
      team.settled();
      return;
    }
    pieces = published;
    long written = buffer.written();
    long length = published.length();
    checkedFrom = Math.min(published.size(), (written + length - 1) / length * length);
    verifiedEnd = checkedFrom;
    state = State.ACTIVE;
    // No hash covers [written, checkedFrom): what the home line has not brought of it, it fetches.
    for (long[] span : owners.notFrom(ByteOwners.HOME, written, checkedFrom)) {
      team.refetch(span[0], span[1]);
    }
    team.settled();
  }

  /** Checks each piece held whole from {@link #verifiedEnd}; answers the new hold. */
  private long verify() {
    while (state == State.ACTIVE && verifiedEnd < pieces.size()) {
      int index = (int) (verifiedEnd / pieces.length());
      ByteRange piece = pieces.range(index);
      List<Buffer> bytes = buffer.peek(piece.first(), piece.end());
      if (bytes == null) {
        break;
      }
      if (pieces.matches(index, bytes)) {
        verifiedEnd = piece.end();
      } else {
        arbitrate(index, piece, bytes);
      }
    }
    return verifiedEnd >= pieces.size() ? Long.MAX_VALUE : verifiedEnd;
  }

  /** A held piece does not match its hash: the home line fetches it and tells who lied. */
  private void arbitrate(int index, ByteRange piece, List<Buffer> held) {
    state = State.ARBITRATING;
    Buffer seen = Buffer.buffer((int) piece.length());
    held.forEach(seen::appendBuffer);
    List<ByteOwners.Span> spans = owners.within(piece.first(), piece.end());
    originCopy(piece)
        .onComplete(
            fetched -> {
              if (state != State.ARBITRATING) {
                return;
              }
              String where = "bytes " + piece.first() + "-" + piece.last();
              if (fetched.failed()) {
                team.failed(
                    "the home line could not fetch "
                        + where
                        + " to settle a Metalink piece mismatch: "
                        + fetched.cause().getMessage());
                return;
              }
              Buffer origin = fetched.result();
              if (!pieces.matches(index, List.of(origin))) {
                team.failed(
                    "the origin's own "
                        + where
                        + " do not match its Metalink piece hash ("
                        + pieces.algorithm()
                        + "): the Metalink does not describe this file");
                return;
              }
              Set<Integer> liars = new LinkedHashSet<>();
              for (ByteOwners.Span span : spans) {
                int from = (int) (span.from() - piece.first());
                int to = (int) (span.to() - piece.first());
                if (span.owner() != ByteOwners.HOME
                    && !seen.slice(from, to).equals(origin.slice(from, to))) {
                  liars.add(span.owner());
                }
              }
              drop(piece.first(), piece.end());
              accept(ByteOwners.HOME, piece.first(), origin);
              verifiedEnd = piece.end();
              state = State.ACTIVE;
              for (int liar : liars) {
                team.caught(
                    liar,
                    "bytes in "
                        + piece.first()
                        + "-"
                        + piece.last()
                        + " differ from the origin's (Metalink "
                        + pieces.algorithm()
                        + " piece "
                        + index
                        + ", confirmed by the home line)");
              }
              team.settled();
            });
  }

  /** The piece as the home line fetches it, within {@link SpotChecks#CHECK_TIMEOUT_MILLIS}. */
  private Future<Buffer> originCopy(ByteRange piece) {
    Promise<Buffer> copy = Promise.promise();
    long timer =
        vertx.setTimer(
            SpotChecks.CHECK_TIMEOUT_MILLIS, late -> copy.tryFail("the home line did not answer"));
    Future<Flow> opened;
    try {
      opened = home.open(piece);
    } catch (RuntimeException e) {
      opened = Future.failedFuture(e);
    }
    opened
        .onFailure(copy::tryFail)
        .onSuccess(
            flow -> {
              if (copy.future().isComplete()) {
                flow.cancel();
                return;
              }
              Buffer bytes = Buffer.buffer((int) piece.length());
              flow.handler(
                  data -> {
                    if (bytes.length() + data.length() > piece.length()) {
                      flow.cancel();
                      copy.tryFail("the home line sent more than the piece");
                    } else {
                      bytes.appendBuffer(data);
                    }
                  });
              flow.exceptionHandler(copy::tryFail);
              flow.endHandler(
                  end -> {
                    if (bytes.length() == piece.length()) {
                      copy.tryComplete(bytes);
                    } else {
                      copy.tryFail("the home line sent " + bytes.length() + " bytes");
                    }
                  });
              flow.resume();
            });
    return copy.future().onComplete(done -> vertx.cancelTimer(timer));
  }
}
