// The extension's settings: their defaults, how they are stored (storage.local: the router is a
// property of this LAN, not of the user's other machines) and how their text is checked.
// Shared by the background script and the options page; plain script, no modules, no build step.
"use strict";

/** The WebExtension API: Firefox's promise-based `browser`, or Chromium's `chrome`. */
var ext = globalThis.browser ?? globalThis.chrome;

var Settings = (() => {
  /** Files at least this large (MiB) go to the router; unknown sizes go too. */
  const DEFAULT_THRESHOLD_MIB = 8;

  /**
   * No default router address: every LAN numbers its router differently, and a guessed address
   * would turn each large download into a failing one. Until it is set, nothing is handed off.
   */
  const DEFAULT_ROUTER = "";

  const DEFAULTS = Object.freeze({
    enabled: true,
    router: DEFAULT_ROUTER,
    thresholdMiB: DEFAULT_THRESHOLD_MIB,
    allowWithCredentials: [],
    never: [],
  });

  async function load() {
    const stored = await ext.storage.local.get(Object.keys(DEFAULTS));
    return { ...DEFAULTS, ...stored };
  }

  function save(settings) {
    return ext.storage.local.set(settings);
  }

  /**
   * The router's address as `host:port` (IPv4, [IPv6] or a LAN name), or throws an Error saying
   * what is wrong. The router answers /fetch only for an IP address or a LAN name.
   */
  function parseRouter(text) {
    const value = text.trim();
    if (value === "") {
      return "";
    }
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
    if (!match) {
      throw new Error("the router address is host:port, e.g. 192.168.1.1:3128");
    }
    const port = Number(match[2]);
    if (port < 1 || port > 65535) {
      throw new Error("the port must be between 1 and 65535");
    }
    return match[1].toLowerCase() + ":" + port;
  }

  /** A positive number of MiB, or throws. */
  function parseThreshold(text) {
    const value = Number(String(text).trim());
    if (!Number.isFinite(value) || value < 0) {
      throw new Error("the threshold is a number of MiB, 0 or more");
    }
    return value;
  }

  /** One domain a line (or separated by spaces or commas), lower case, without a leading dot. */
  function parseDomains(text) {
    const domains = [];
    for (const word of text.split(/[\s,]+/)) {
      const domain = word.trim().toLowerCase().replace(/^\*?\./, "").replace(/\.$/, "");
      if (domain === "") {
        continue;
      }
      if (!/^[a-z0-9.-]+$/.test(domain) && !/^\[[0-9a-f:.]+\]$/.test(domain)) {
        throw new Error("'" + word + "' is not a domain name");
      }
      if (!domains.includes(domain)) {
        domains.push(domain);
      }
    }
    return domains;
  }

  return { DEFAULTS, DEFAULT_THRESHOLD_MIB, load, save, parseRouter, parseThreshold, parseDomains };
})();
