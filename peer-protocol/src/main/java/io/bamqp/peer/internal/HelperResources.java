package io.bamqp.peer.internal;

import io.bamqp.peer.HelperOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** What every range relay of one helper shares. Confined to the helper's event loop. */
record HelperResources(
    Vertx vertx,
    HelperOptions options,
    HttpClient originClient,
    RateBucket bucket,
    DestinationGuard guard,
    JobTable jobs) {}
