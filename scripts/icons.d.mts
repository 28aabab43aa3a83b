export declare const ICON_SOURCE: string;
export declare function generateIcons(outDir: string): { png: string; png256: string; ico: string; icns: string };
