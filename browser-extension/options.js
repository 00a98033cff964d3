// The options page: shows the stored settings, checks what the user typed, saves it.
"use strict";

const SITE_ACCESS = { origins: ["https://*/*"] };
const form = document.getElementById("options");
const field = (id) => document.getElementById(id);

async function show() {
  const settings = await Settings.load();
  field("enabled").checked = settings.enabled;
  field("router").value = settings.router;
  field("threshold").value = settings.thresholdMiB;
  field("never").value = settings.never.join("\n");
  field("allowWithCredentials").value = settings.allowWithCredentials.join("\n");
  field("access").hidden = await ext.permissions.contains(SITE_ACCESS);
  document.body.dataset.ready = "true";
}

function status(text, error) {
  const output = field("status");
  output.textContent = text;
  output.classList.toggle("error", error);
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  let settings;
  try {
    settings = {
      enabled: field("enabled").checked,
      router: Settings.parseRouter(field("router").value),
      thresholdMiB: Settings.parseThreshold(field("threshold").value),
      never: Settings.parseDomains(field("never").value),
      allowWithCredentials: Settings.parseDomains(field("allowWithCredentials").value),
    };
  } catch (invalid) {
    status(invalid.message, true);
    return;
  }
  await Settings.save(settings);
  await show();
  status(settings.router === "" ? "Saved; set the router address to hand anything off" : "Saved", false);
});

field("grant").addEventListener("click", async () => {
  await ext.permissions.request(SITE_ACCESS);
  await show();
});

show().catch((error) => status("could not read the settings: " + error.message, true));
