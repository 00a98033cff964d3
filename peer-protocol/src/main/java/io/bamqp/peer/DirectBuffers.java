package io.bamqp.peer;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The node's pool of direct memory for bytes it holds on their way: the batch reads of an origin's
 * body ({@link ReadBatching}), the chunk a home holds until its signature is checked, and the early
 * bytes of a reorder window. Netty's pooled allocator with one arena of 1 MiB chunks (8 KiB pages,
 * order 7) and no per-thread caches: what it holds is the chunks the bytes in flight need, and a
 * buffer taken from it costs no zeroing, mapping or unmapping, its pages being reused.
 *
 * <p>Not Netty's default allocator: with less than 512 MiB of heap (every node: {@code
 * jvm.options}) that one pools buffers of at most 16.5 KiB, and an unpooled buffer of 32 KiB or
 * more is a fresh mapping from glibc, zeroed by the JVM, page-faulted in and unmapped again when
 * freed. Per read that was 13% of a helper's event-loop samples; per held piece of a reorder window
 * and per checked chunk, with page faults as dear as a virtual machine's can be, it was a third of
 * an aggregating home's CPU (perf on bench/cost.sh's test bed, 2026-12-02 and 2026-12-03;
 * BENCHMARKS.md). Thread-safe.
 */
public final class DirectBuffers {
  /** The pool. */
  public static final ByteBufAllocator POOL =
      new PooledByteBufAllocator(true, 0, 1, 8192, 7, 0, 0, false);

  private DirectBuffers() {}
}
