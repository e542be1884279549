import { closeSync, openSync, writeSync } from 'node:fs';
import { DmasimError } from '../errors.js';

/**
 * Characters gathered before a write: few system calls, and pieces that die young. Pieces
 * kept across several scavenges would be promoted, and old-generation collections of
 * millions of small strings cost more than the writing.
 */
const CHUNK_CHARS = 1 << 16;

/**
 * A file a run writes as it goes (--trace, --events-out). It is created when the run is
 * set up, so that a path that cannot be written is refused before any thread starts, then
 * written in large chunks. A write that fails stops the writing and is kept as this
 * file's failure, never thrown into the run: the run stands, the caller reports it.
 */
export class OutputFile {
  private pending: string[] = [];
  private chars = 0;
  private failure: string | null = null;

  private constructor(
    readonly path: string,
    private fd: number | null,
  ) {}

  /**
   * Creates (or truncates) `path`.
   * @param flag the option that named it, for the message (`trace`)
   * @throws DmasimError DMASIM_BAD_OPTION when it cannot be created
   */
  static create(path: string, flag: string): OutputFile {
    try {
      return new OutputFile(path, openSync(path, 'w'));
    } catch (err) {
      throw new DmasimError(
        'DMASIM_BAD_OPTION',
        `--${flag}: cannot write ${path}: ${(err as Error).message}`,
        { cause: err },
      );
    }
  }

  /** Appends `text`; written out once enough gathered. */
  write(text: string): void {
    if (this.fd === null) return;
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= CHUNK_CHARS) this.flush();
  }

  /** Records a failure of whoever produces the content: the file is then incomplete. */
  fail(err: unknown): void {
    this.failure ??= `${this.path}: ${err instanceof Error ? err.message : String(err)}`;
    this.shut();
  }

  /**
   * Writes what is left and closes the file.
   * @returns why the file is incomplete, or null when it was written whole
   */
  close(): string | null {
    this.flush();
    this.shut();
    return this.failure;
  }

  private flush(): void {
    if (this.fd === null || this.chars === 0) return;
    const buf = Buffer.from(this.pending.join(''));
    this.pending = [];
    this.chars = 0;
    try {
      for (let off = 0; off < buf.length;) off += writeSync(this.fd, buf, off);
    } catch (err) {
      this.fail(err);
    }
  }

  private shut(): void {
    this.pending = [];
    this.chars = 0;
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      closeSync(fd);
    } catch (err) {
      // A close can report a write the kernel deferred (NFS, a full disk).
      this.failure ??= `${this.path}: ${(err as Error).message}`;
    }
  }
}
