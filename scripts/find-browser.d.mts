export declare const BROWSER_HELP: string;
export declare const BROWSER_ARGS: string[];
/** `path` is undefined when no browser was found, and `reason` then says how to get one. */
export declare function findBrowser(): { path: string | undefined; source?: string; reason?: string };
