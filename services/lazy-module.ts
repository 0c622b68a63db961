// Large libraries an instance needs only now and then, loaded on first use instead of at start:
// the password estimate's dictionaries (zxcvbn-ts), pdfkit, nodemailer and the holiday tables
// (date-holidays) are each several megabytes of heap that a chat turn never touches, and every
// megabyte kept alive lets V8 leave several more of garbage before it collects (the old
// generation grows in proportion to what survives). Loaded synchronously through the package's
// CommonJS build, so callers stay synchronous; once loaded, a library stays (it is needed again).
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/**
 * A getter that loads `specifier` the first time it is called and returns the same module
 * afterwards. T is the module's type as its declarations give it (`typeof` of a type-only import).
 */
// require() is untyped: T states what the package's declarations say it exports.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
