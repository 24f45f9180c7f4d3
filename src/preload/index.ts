// Exposes named functions only (never ipcRenderer); the contract-derived bridge comes with the transports issue.
import { contextBridge } from "electron";

contextBridge.exposeInMainWorld("threadline", Object.freeze({ version: "0.1.0" }));
