// Watches the browser's downloads and hands large https:// ones to the router's /fetch: the
// browser's own download is cancelled and erased, and the same URL is downloaded again from
// http://<router>/fetch?url=<percent-encoded URL>. Downloads with cookies or credentials stay.
//
// Chromium runs this file as the service worker (manifest background.service_worker) and loads
// the two helpers with importScripts; Firefox reads background.scripts and loads all three itself.
"use strict";

if (typeof importScripts === "function") {
  importScripts("settings.js", "decision.js");
}

const BADGES = Object.freeze({
  handedOff: { text: "↗", color: "#2e7d32" },
  left: { text: "–", color: "#616161" },
  failed: { text: "!", color: "#c62828" },
});

/** The host permission needed to read a site's cookies before handing its download off. */
const SITE_ACCESS = { origins: ["https://*/*"] };

/**
 * What the worker must remember across its restarts (a Chromium service worker sleeps after 30 s):
 * "issued:<fetch URL>" → the original URL of a /fetch download it started, written before the
 * download starts (a router that is down fails it at once, sometimes before download() has even
 * returned its id), "fallback:<url>" → a URL it gave back to the browser after the router failed,
 * which must not be handed off again.
 */
const memory = ext.storage.session;

ext.runtime.onInstalled.addListener(async (details) => {
  if (details.reason === "install" && (await Settings.load()).router === "") {
    ext.runtime.openOptionsPage();
  }
});

ext.downloads.onCreated.addListener((item) => {
  judge(item).catch((error) => show("failed", "could not judge a download: " + error.message));
});

ext.downloads.onChanged.addListener((delta) => {
  if (delta.state === undefined) {
    return;
  }
  settle(delta).catch((error) => show("failed", "lost track of a download: " + error.message));
});

async function judge(item) {
  const settings = await Settings.load();
  if (await fromUs(item, settings)) {
    return;
  }
  const early = Decision.before(item, settings);
  if (early !== null) {
    show("left", early.reason);
    return;
  }
  if (!(await ext.permissions.contains(SITE_ACCESS))) {
    show("left", "no access to sites' cookies, so it stays in the browser: allow it in the options");
    return;
  }
  const cookies = await cookieCount([item.url, item.finalUrl]);
  if (cookies === null) {
    show("left", "the site's cookies could not be read, so it stays in the browser");
    return;
  }
  const verdict = Decision.after(item, settings, cookies);
  if (!verdict.handOff) {
    show("left", verdict.reason);
    return;
  }
  await handOff(item, settings, verdict.reason);
}

/** Downloads this extension started itself: its /fetch downloads and its fallbacks. */
async function fromUs(item, settings) {
  if (settings.router !== "" && item.url.startsWith("http://" + settings.router + "/")) {
    return true;
  }
  const key = "fallback:" + item.url;
  if ((await memory.get(key))[key]) {
    await memory.remove(key);
    return true;
  }
  return false;
}

async function handOff(item, settings, reason) {
  try {
    await ext.downloads.cancel(item.id);
  } catch (finished) {
    show("left", "the browser finished it before it could be handed off");
    return;
  }
  await ext.downloads.erase({ id: item.id });
  const fetchUrl = new URL(Decision.fetchUrl(settings.router, item.url)).href;
  await memory.set({ ["issued:" + fetchUrl]: item.url });
  await ext.downloads.download({ url: fetchUrl });
  show("handedOff", reason);
}

/**
 * A /fetch download ended. When the router failed it (down, refused, the origin wanted a login),
 * the original URL goes back to the browser, so the user still gets the file.
 */
async function settle(delta) {
  if (delta.state.current === "in_progress") {
    return;
  }
  const [item] = await ext.downloads.search({ id: delta.id });
  if (item === undefined) {
    return;
  }
  const key = "issued:" + item.url;
  const original = (await memory.get(key))[key];
  if (original === undefined) {
    return;
  }
  await memory.remove(key);
  const error = delta.error === undefined ? "" : delta.error.current;
  if (delta.state.current !== "interrupted" || error === "USER_CANCELED") {
    return;
  }
  await memory.set({ ["fallback:" + original]: true });
  await ext.downloads.download({ url: original });
  show(
    "failed",
    "the router could not fetch " +
      new URL(original).hostname +
      " (" +
      (error || "interrupted") +
      "): downloading it in the browser instead",
  );
}

/** Cookies the browser holds for any of `urls`, partitioned ones included; null if unreadable. */
async function cookieCount(urls) {
  let count = 0;
  for (const url of new Set(urls.filter((u) => typeof u === "string" && u.startsWith("https:")))) {
    const cookies = await cookiesFor(url);
    if (cookies === null) {
      return null;
    }
    count += cookies.length;
  }
  return count;
}

async function cookiesFor(url) {
  // Each browser refuses some of these forms: partitionKey {} (all partitions) is recent in
  // Chromium, and Firefox with first-party isolation needs firstPartyDomain.
  for (const query of [{ url, partitionKey: {} }, { url }, { url, firstPartyDomain: null }]) {
    try {
      return await ext.cookies.getAll(query);
    } catch (refused) {
      // try the next form
    }
  }
  return null;
}

/** The toolbar badge tells what happened to the last download, its title why. */
function show(kind, reason) {
  const badge = BADGES[kind];
  ext.action.setBadgeText({ text: badge.text });
  ext.action.setBadgeBackgroundColor({ color: badge.color });
  ext.action.setTitle({ title: "bamqp: " + reason });
}
