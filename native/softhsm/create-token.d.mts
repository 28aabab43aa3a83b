export const SOFTHSM_LIBRARIES: Record<string, string[]>;
export function createSoftHsmToken(options: { dir: string; label?: string; pin?: string; soPin?: string }): string;
