// Types for scripts/outputs.js (plain JavaScript, so that the bin and npm install run it without tsx).
export declare const ROOT: string;
export declare const STAMP: string;
export declare const OUTPUTS: readonly { readonly name: string; readonly inputs: readonly string[]; readonly skip?: readonly string[] }[];
export declare function outdated(root?: string, names?: readonly string[]): { name: string; reason: string }[];
export declare function canBuild(): boolean;
export declare function ensureBuilt(): string | null;
