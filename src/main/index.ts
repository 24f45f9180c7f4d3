// The Electron shell: owns windows, menus and dialogs, and routes the renderer's calls to the engine's
// worker (EngineHost). One instance at a time; on quit, running runs are cancelled and the database is
// closed before the process ends.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions } from "electron";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EngineHost } from "../core/worker/engine-host";
import { openEngine as startEngine } from "../core/worker/open-engine";
import { forwardEvents, registerIpcHandlers, trustedSender } from "./ipc";
import { parseLaunchArgs, type LaunchOptions } from "./options";
import { addRecent, readRecent } from "./recent";
import { readSettings, writeSettings } from "./settings";
import { CONTENT_SECURITY_POLICY, lockNavigation, windowOptions } from "./window";

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, "../renderer/index.html");
const devServer = process.env.ELECTRON_RENDERER_URL ?? null;
const recentFile = () => path.join(app.getPath("userData"), "recent.json");
const settingsFile = () => path.join(app.getPath("userData"), "settings.json");

// better-sqlite3 built for Electron's ABI, kept apart from node_modules' Node build (npm run rebuild:electron).
const nativeBinding = app.isPackaged
  ? path.join(process.resourcesPath, "app.asar.unpacked", "electron-native", "better_sqlite3.node")
  : path.join(app.getAppPath(), "electron-native", "better_sqlite3.node");
if (existsSync(nativeBinding)) process.env.THREADLINE_SQLITE_BINDING = nativeBinding;

function isOurPage(url: string): boolean {
  if (devServer) return url.startsWith(devServer);
  return url.startsWith(pathToFileURL(rendererIndex).href);
}

let engine: EngineHost | null = null;
let current: LaunchOptions = { dbFile: null, projectDir: null };
const windows = new Set<BrowserWindow>();

async function openEngine(options: LaunchOptions): Promise<void> {
  const dbFile = options.dbFile ?? path.join(app.getPath("userData"), "threadline.db");
  // Started and probed before the open engine is closed: a file that cannot be opened leaves
  // the current database in place, and never reaches the recent list.
  const next = await startEngine({
    dbFile,
    projectDir: options.projectDir,
    examples: options.examples === true,
    workerEntry: new URL("./worker-entry.js", import.meta.url),
  });
  const previous = engine;
  engine = next;
  await previous?.close();
  forwardEvents(engine, () => windows);
  current = { dbFile, projectDir: options.projectDir, examples: options.examples === true };
  if (options.projectDir) addRecent(recentFile(), "projects", options.projectDir);
  addRecent(recentFile(), "databases", dbFile);
  for (const win of windows) {
    win.setTitle(`Threadline — ${path.basename(options.projectDir ?? dbFile)}`);
    win.webContents.reload();
  }
  buildMenu();
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(windowOptions(path.join(here, "../preload/index.cjs")));
  windows.add(win);
  win.on("closed", () => windows.delete(win));
  lockNavigation(win.webContents, isOurPage);
  win.once("ready-to-show", () => win.show());
  if (devServer) void win.loadURL(devServer);
  else void win.loadFile(rendererIndex);
  return win;
}

async function pick(kind: "project" | "database" | "new-database"): Promise<void> {
  const focused = BrowserWindow.getFocusedWindow() ?? undefined;
  if (kind === "new-database") {
    const result = await dialog.showSaveDialog(focused!, { title: "New Database", defaultPath: "threads.db", filters: [{ name: "SQLite", extensions: ["db", "sqlite"] }] });
    if (!result.canceled && result.filePath) await switchTo({ ...current, dbFile: result.filePath });
    return;
  }
  const result = await dialog.showOpenDialog(focused!, {
    title: kind === "project" ? "Open LangGraph Project (folder with langgraph.json)" : "Open Database",
    properties: kind === "project" ? ["openDirectory"] : ["openFile"],
    filters: kind === "database" ? [{ name: "SQLite", extensions: ["db", "sqlite", "sqlite3"] }, { name: "All files", extensions: ["*"] }] : undefined,
  });
  const chosen = result.filePaths[0];
  if (result.canceled || !chosen) return;
  await switchTo(kind === "project" ? { ...current, projectDir: chosen } : { ...current, dbFile: chosen });
}

/** File › Import LangGraph Database…: copies the threads of a SqliteSaver file into the open database. */
async function importLangGraph(): Promise<void> {
  const focused = BrowserWindow.getFocusedWindow() ?? undefined;
  const result = await dialog.showOpenDialog(focused!, {
    title: "Import a LangGraph SqliteSaver database",
    properties: ["openFile"],
    filters: [{ name: "SQLite", extensions: ["db", "sqlite", "sqlite3"] }, { name: "All files", extensions: ["*"] }],
  });
  const file = result.filePaths[0];
  if (result.canceled || !file || !engine) return;
  try {
    const outcome = await engine.call("threads.importLangGraph", { file });
    const skipped = outcome.skipped.map((s) => `${s.threadId}: ${s.reason}`).join("\n");
    await dialog.showMessageBox(focused!, {
      message: `Imported ${outcome.threads.length} thread(s) from ${path.basename(file)}.`,
      detail: skipped ? `Skipped:\n${skipped}` : undefined,
    });
  } catch (error) {
    dialog.showErrorBox("Could not import", (error as Error).message);
  }
}

/**
 * File › Open Checkpoint Database…: a SQLite file written by LangGraph's SqliteSaver, opened in place
 * and read-only as a source beside Threadline's own store (the page's source menu lists it; a
 * PostgreSQL connection string is entered there).
 */
async function openCheckpointDatabase(): Promise<void> {
  const focused = BrowserWindow.getFocusedWindow() ?? undefined;
  const result = await dialog.showOpenDialog(focused!, {
    title: "Open a LangGraph checkpoint database (read-only)",
    properties: ["openFile"],
    filters: [{ name: "SQLite", extensions: ["db", "sqlite", "sqlite3"] }, { name: "All files", extensions: ["*"] }],
  });
  const file = result.filePaths[0];
  if (result.canceled || !file || !engine) return;
  try {
    await engine.call("sources.open", { location: file });
  } catch (error) {
    dialog.showErrorBox("Could not open", (error as Error).message);
  }
}

async function switchTo(options: LaunchOptions): Promise<void> {
  if (options.projectDir && !existsSync(path.join(options.projectDir, "langgraph.json"))) {
    dialog.showErrorBox("Not a LangGraph project", `${options.projectDir} has no langgraph.json.`);
    return;
  }
  try {
    await openEngine(options);
  } catch (error) {
    dialog.showErrorBox("Could not open", (error as Error).message);
  }
}

function buildMenu(): void {
  const recent = readRecent(recentFile());
  const file: MenuItemConstructorOptions = {
    label: "File",
    submenu: [
      { label: "Open Project…", accelerator: "CmdOrCtrl+O", click: () => void pick("project") },
      { label: "Open Database…", accelerator: "CmdOrCtrl+Shift+O", click: () => void pick("database") },
      { label: "New Database…", click: () => void pick("new-database") },
      { label: "Open Checkpoint Database…", click: () => void openCheckpointDatabase() },
      { label: "Import LangGraph Database…", click: () => void importLangGraph() },
      {
        label: "Show Built-in Examples",
        type: "checkbox",
        checked: current.examples === true,
        click: (item) => {
          writeSettings(settingsFile(), { showExamples: item.checked });
          void switchTo({ ...current, examples: item.checked });
        },
      },
      { type: "separator" },
      {
        label: "Recent Projects",
        submenu: recent.projects.length
          ? recent.projects.map((dir) => ({ label: dir, click: () => void switchTo({ ...current, projectDir: dir }) }))
          : [{ label: "None", enabled: false }],
      },
      {
        label: "Recent Databases",
        submenu: recent.databases.length
          ? recent.databases.map((db) => ({ label: db, click: () => void switchTo({ ...current, dbFile: db }) }))
          : [{ label: "None", enabled: false }],
      },
      { type: "separator" },
      { role: "quit" },
    ],
  };
  Menu.setApplicationMenu(Menu.buildFromTemplate([file, { role: "editMenu" }, { role: "viewMenu" }, { role: "windowMenu" }]));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on("second-instance", () => {
    const win = [...windows][0];
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  let quitting = false;
  app.on("before-quit", (event) => {
    if (quitting || !engine) return;
    event.preventDefault();
    quitting = true;
    const closing = engine;
    engine = null;
    void closing.close().finally(() => app.quit());
  });
  app.on("window-all-closed", () => app.quit());

  void app.whenReady().then(async () => {
    // Nothing in Threadline needs the camera, notifications or any other permission.
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
      callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } }),
    );
    registerIpcHandlers(
      ipcMain,
      () => {
        if (!engine) throw new Error("the engine is restarting; try again");
        return engine;
      },
      trustedSender((contents) => [...windows].some((w) => w.webContents === contents), isOurPage),
    );
    buildMenu();
    createWindow();
    const launch = parseLaunchArgs(process.argv.slice(app.isPackaged ? 1 : 2), process.cwd());
    await switchTo({ ...launch, examples: launch.examples === true || readSettings(settingsFile()).showExamples });
  });
}
