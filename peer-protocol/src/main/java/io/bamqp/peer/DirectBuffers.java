package io.bamqp.peer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The node's pool of direct memory for the batch reads of an origin's body ({@link ReadBatching}):
 * Netty's pooled allocator with one arena of 1 MiB chunks (8 KiB pages, order 7) and no per-thread
 * caches, so what it holds is the chunks the reads in flight need, and a read buffer costs no
 * zeroing, mapping or unmapping, its pages being reused. Not Netty's default allocator: with less
 * than 512 MiB of heap (every node: {@code jvm.options}) that one pools buffers of at most 16.5
 * KiB, and an unpooled buffer of 32 KiB or more is a fresh mapping from glibc, zeroed by the JVM,
 * page-faulted in and unmapped again when freed (13% of a helper's event-loop samples, perf on
 * bench/cost.sh's test bed, 2026-12-02). Thread-safe.
 *
 * <p>A reorder window's early bytes, the chunk a home holds until its signature is checked and the
 * copies of what is written to a client still take unpooled buffers: taken from this pool (ea63f9d,
 * 990e032) they cost an aggregating home 7-9% less CPU, but the full proxy suite then delivered a
 * wrong byte once (PieceHashSessionTest, a neighbor's altered piece repaired while the body
 * flowed), which pooled memory, reused at once, would turn a late read of a released buffer into;
 * reverted until that is explained (BENCHMARKS.md, 2026-12-03).
 */
public final class DirectBuffers {
  /** The pool. */
  public static final ByteBufAllocator POOL =
      new PooledByteBufAllocator(true, 0, 1, 8192, 7, 0, 0, false);

  private DirectBuffers() {}
}
