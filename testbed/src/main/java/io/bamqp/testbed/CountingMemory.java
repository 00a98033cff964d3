package io.bamqp.testbed;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * Off-heap memory for tests of code that allocates and frees its own direct buffers: remembers
 * every buffer it handed out, so a test can check that each one was released, and refuses (the
 * JVM's {@code OutOfMemoryError} for direct memory) a buffer larger than its limit. Heap buffers
 * are not expected from it.
 */
public final class CountingMemory extends AbstractByteBufAllocator {
  private final List<ByteBuf> allocated = new ArrayList<>();
  private final long limit;

  /** Memory that hands out buffers of at most {@code limit} bytes each. */
  public CountingMemory(long limit) {
    super(true);
    this.limit = limit;
  }

  /** Memory without a limit. */
  public CountingMemory() {
    this(Long.MAX_VALUE);
  }

  /** Every buffer handed out so far, released or not. */
  public List<ByteBuf> allocated() {
    return allocated;
  }

  /** How many buffers handed out are not yet released. */
  public long unfreed() {
    return allocated.stream().filter(buffer -> buffer.refCnt() > 0).count();
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    throw new AssertionError("a heap buffer was asked of off-heap memory");
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    if (initialCapacity > limit) {
      throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct memory");
    }
    ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
    allocated.add(buffer);
    return buffer;
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }
}
