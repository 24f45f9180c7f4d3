// The one kind of window Threadline opens: isolated, sandboxed, no Node, no navigation away from our
// page and no new windows. Kept free of app state so that its options can be tested on their own.
import type { BrowserWindowConstructorOptions, WebContents } from "electron";

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    title: "Threadline",
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Blocks navigation away from our page and every window.open; links never load inside the app. */
export function lockNavigation(contents: Pick<WebContents, "on" | "setWindowOpenHandler">, isOurPage: (url: string) => boolean): void {
  contents.setWindowOpenHandler(() => ({ action: "deny" }));
  contents.on("will-navigate", (event, url) => {
    if (!isOurPage(url)) event.preventDefault();
  });
  contents.on("will-redirect", (event, url) => {
    if (!isOurPage(url)) event.preventDefault();
  });
}
