import { AppError, type ErrorCode } from '../../src/contract/errors';

/**
 * Paths the renderer may name, kept on the main side: the ones the app itself
 * offers and the ones a system dialog returned in this session. A string the
 * renderer makes up (a compromised page asking to load any file as a native
 * library, or to write into any folder) is refused before it is used.
 */
export class OfferedPaths {
  private readonly fromDialogs = new Set<string>();

  constructor(
    private readonly code: ErrorCode,
    private readonly known: () => Promise<string[]> | string[],
  ) {}

  /** Records what a system dialog returned (null: cancelled) and passes it on. */
  offered<T extends string | null>(chosen: T): T {
    if (chosen) this.fromDialogs.add(chosen);
    return chosen;
  }

  async require(candidate: string): Promise<string> {
    if (this.fromDialogs.has(candidate) || (await this.known()).includes(candidate)) return candidate;
    throw new AppError(this.code);
  }
}

/** Output folders: one the folder dialog returned in this session, or the default. */
export class OfferedFolders {
  private readonly paths = new OfferedPaths('OUTPUT_DIR_NOT_ALLOWED', () => []);

  offered<T extends string | null>(chosen: T): T {
    return this.paths.offered(chosen);
  }

  async require(candidate: string, defaultDir: string): Promise<string> {
    return candidate === defaultDir ? candidate : this.paths.require(candidate);
  }
}
