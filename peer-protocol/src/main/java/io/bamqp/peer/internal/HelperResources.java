package io.bamqp.peer.internal;

import io.bamqp.peer.AuditLog;
import io.bamqp.peer.HelperOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/**
 * What every request of one helper shares; {@code audit} is null when no audit directory was given.
 * Confined to the helper's event loop.
 */
record HelperResources(
    Vertx vertx,
    HelperOptions options,
    HttpClient originClient,
    SharingState sharing,
    DestinationGuard guard,
    JobTable jobs,
    RequestAuth auth,
    AuditLog audit) {}
