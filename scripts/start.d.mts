export declare const NO_ELECTRON_MESSAGE: string;
export declare function electronBinary(electronDir: string, env?: NodeJS.ProcessEnv): string | undefined;
export declare function findOrFetchElectron(env?: NodeJS.ProcessEnv): string | undefined;
