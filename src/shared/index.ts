export * from "./contract";
export * from "./encoding";
export * from "./errors";
export * from "./events";
export * from "./types";
export type * from "./graph";
