// Whether one download goes to the router: a pure function of the download, the settings and what
// the browser knows about the site (its cookies). No API calls here, so the rules read in one place.
"use strict";

var Decision = (() => {
  /**
   * Query parameters that make a URL a credential (pre-signed S3, GCS, Azure, CloudFront and Akamai
   * URLs, and the common token names): the same list the router uses
   * (proxy/.../aggregation/Credentials.java). Matched by exact name, case-insensitively.
   */
  const SIGNED_URL_PARAMETERS = new Set([
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
    "signature",
    "sig",
    "key-pair-id",
    "policy",
    "hdnts",
    "__token__",
    "token",
    "access_token",
    "auth",
    "authorization",
    "apikey",
    "api_key",
    "password",
    "secret",
  ]);

  const MIB = 1024 * 1024;

  /** Whether `host` is one of `domains` or below one of them. */
  function listed(host, domains) {
    const name = host.toLowerCase().replace(/\.$/, "");
    return domains.some((domain) => name === domain || name.endsWith("." + domain));
  }

  /** The router's own /fetch URL for `url`. */
  function fetchUrl(router, url) {
    return "http://" + router + "/fetch?url=" + encodeURIComponent(url);
  }

  /** Whether `url` is a request to the router itself (never handed off: that would loop). */
  function isRouter(url, router) {
    return router !== "" && url.host.toLowerCase() === router;
  }

  /** The signed-URL parameter `url` carries, or null. */
  function carriedCredential(url) {
    for (const name of url.searchParams.keys()) {
      if (SIGNED_URL_PARAMETERS.has(name.toLowerCase())) {
        return "the URL looks signed (query parameter '" + name.toLowerCase() + "')";
      }
    }
    return null;
  }

  /**
   * The first check a download meets, before any cookie is looked up: a verdict to leave it alone,
   * or null when cookies decide.
   *
   * @param item what the downloads API reports: url, finalUrl, totalBytes (-1 or 0: unknown),
   *     state, incognito
   * @param settings as Settings.load() gives them
   * @returns {{handOff: false, reason: string} | null}
   */
  function before(item, settings) {
    let url;
    try {
      url = new URL(item.url);
    } catch (malformed) {
      return leave("not a URL");
    }
    if (url.protocol === "http:" && isRouter(url, settings.router)) {
      return leave("a download from the router itself");
    }
    if (!settings.enabled) {
      return leave("the extension is switched off in its options");
    }
    if (settings.router === "") {
      return leave("no router address is set: open the extension's options");
    }
    if (url.protocol !== "https:") {
      return leave("not an https:// URL (plain http goes through the proxy setting)");
    }
    if (item.incognito) {
      return leave("a private window's download");
    }
    if (item.state !== undefined && item.state !== "in_progress") {
      return leave("the browser had already finished it");
    }
    if (listed(url.hostname, settings.never)) {
      return leave(url.hostname + " is in the 'never' list");
    }
    const size = item.totalBytes > 0 ? item.totalBytes : -1;
    if (size >= 0 && size < settings.thresholdMiB * MIB) {
      return leave(
        "smaller than " + settings.thresholdMiB + " MiB (" + (size / MIB).toFixed(1) + " MiB)",
      );
    }
    return null;
  }

  /**
   * The verdict once the cookies are known.
   *
   * @param cookieCount how many cookies the browser holds for the download's URLs (url and
   *     finalUrl)
   * @returns {{handOff: boolean, reason: string}}
   */
  function after(item, settings, cookieCount) {
    const url = new URL(item.url);
    if (url.username !== "" || url.password !== "") {
      // Never handed off, whatever the lists say: the router would get the password itself.
      return leave("the URL carries a user name or password; it stays in the browser");
    }
    const credential =
      cookieCount > 0
        ? "the site has " + cookieCount + " cookie(s) for it"
        : carriedCredential(url);
    if (credential !== null && !listed(url.hostname, settings.allowWithCredentials)) {
      return leave(credential + "; it stays in the browser");
    }
    const size = item.totalBytes > 0 ? (item.totalBytes / MIB).toFixed(1) + " MiB" : "unknown size";
    return {
      handOff: true,
      reason:
        "handed to the router " +
        settings.router +
        " (" +
        size +
        (credential === null ? "" : "; " + credential + ", allowed for " + url.hostname) +
        ")",
    };
  }

  function leave(reason) {
    return { handOff: false, reason };
  }

  return { SIGNED_URL_PARAMETERS, listed, fetchUrl, before, after };
})();
