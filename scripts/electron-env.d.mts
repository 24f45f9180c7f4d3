export declare const ROOT: string;
export declare const ELECTRON_NATIVE_DIR: string;
export declare const ELECTRON_SQLITE_BINDING: string;
export declare function electronBinary(): { ok: true; path: string } | { ok: false; reason: string };
export declare function electronSqliteBinding(): { ok: true } | { ok: false; reason: string };
export declare function requireDesktopPrerequisites(): void;
export declare function npx(args: string[]): number;
