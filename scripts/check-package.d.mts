export interface PackagedApp {
  name: string;
  binary: string | undefined;
  resources: string;
}
export declare const FORBIDDEN: RegExp[];
export declare const REQUIRED: string[];
export declare function expectedFuses(config: { electronFuses?: Record<string, boolean> }): { name: string; index: number; enabled: boolean }[];
export declare function findPackagedApps(releaseDir: string, productName: string, executableName: string): PackagedApp[];
export declare function checkPackagedApp(app: PackagedApp, config: { electronFuses?: Record<string, boolean> }): Promise<string[]>;
export declare function checkRelease(releaseDir: string, configFile?: string, packageFile?: string): Promise<{ apps: PackagedApp[]; problems: string[] }>;
