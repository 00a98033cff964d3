/**
 * Own clients first: what this node gives neighbors, and when it holds back.
 *
 * <p>{@link io.bamqp.proxy.sharing.OwnTraffic} meters what the proxy delivers to its own LAN
 * clients; {@link io.bamqp.proxy.sharing.SharingGovernor} turns that into the helper server's rate
 * (the floor while own clients are busy) and answers why a neighbor is declined (off, off-peak,
 * monthly caps); {@link io.bamqp.proxy.sharing.Ledger} keeps, per peer, the bytes given and
 * received in {@code state.dir/ledger.json}.
 */
package io.bamqp.proxy.sharing;
