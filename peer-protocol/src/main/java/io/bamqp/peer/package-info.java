/**
 * The wire protocol between bamqp nodes: a home node offers a download job to a neighbor (the
 * helper), and the helper fetches byte ranges of the URL over its own line and streams them home.
 *
 * <p>The API is small: the messages ({@link io.bamqp.peer.JobOffer}, {@link
 * io.bamqp.peer.JobAnswer}, {@link io.bamqp.peer.RangeFetch}, {@link io.bamqp.peer.PeerError}), the
 * helper's server ({@link io.bamqp.peer.HelperServer}, configured by {@link
 * io.bamqp.peer.HelperOptions}) and the home's client of one neighbor ({@link
 * io.bamqp.peer.HelperLink}, {@link io.bamqp.peer.HelperLinkOptions}, {@link
 * io.bamqp.peer.RangeStream}). Everything else lives in {@code io.bamqp.peer.internal}. The
 * protocol itself is described in the module's {@code README.md}.
 */
package io.bamqp.peer;
